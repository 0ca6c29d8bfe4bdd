package faults

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// afterWrite is a task store that calls a hook with what each write stored, before the
// answer travels back: placed inside a crash switch, a hook that crashes the process
// makes the write land in PostgreSQL while the process never learns of it.
type afterWrite struct {
	taskStore
	created func([]domain.CreateResult)
	updated func([]domain.Task)
}

func (a afterWrite) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	out, err := a.taskStore.CreateMany(ctx, tasks)
	if err == nil && a.created != nil {
		a.created(out)
	}
	return out, err
}

func (a afterWrite) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	out, err := a.taskStore.UpdateMany(ctx, changes)
	if err == nil && a.updated != nil {
		var stored []domain.Task
		for _, r := range out {
			if r.Err == nil {
				stored = append(stored, r.Task)
			}
		}
		a.updated(stored)
	}
	return out, err
}

func (a afterWrite) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	t, err := a.taskStore.Update(ctx, id, fn)
	if err == nil && a.updated != nil {
		a.updated([]domain.Task{t})
	}
	return t, err
}

// TestResearchWorkerDiesBetweenChildren: worker A runs a research, reads its first page,
// and dies (kill -9) while it holds further children mid-fetch. Worker B starts after.
//
// What must survive: the children A held are delivered again after its lease and B reads
// them; the last child to end wakes the parked parent, which writes its report; no child
// is created twice; the research counts every page as read.
func TestResearchWorkerDiesBetweenChildren(t *testing.T) {
	t.Parallel()
	s := setup(t)
	world := &researchWorld{blobs: memoryBlobs()}
	api := s.process(t, "api")

	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	death.mortal(a)
	var fetchesAllowed = make(chan struct{}, 1)
	fetchesAllowed <- struct{}{} // A reads one page, then every fetch of A hangs
	gateA := newGate(func() bool {
		select {
		case <-fetchesAllowed:
			return true
		default:
			return false
		}
	})
	handlersA := s.researchHandlers(t, a, world, gateA)
	id := s.submitResearch(t, api, handlersA)
	s.startResearchWorker(t, a, handlersA, workerConfig(2))

	eventually(t, "A to read one page and hang in the next", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		page, err := api.store.List(ctx, domain.TaskFilter{ParentID: id, Limit: 100})
		if err != nil {
			return false, err.Error()
		}
		done := 0
		for _, c := range page.Tasks {
			if c.Status == domain.StatusSucceeded {
				done++
			}
		}
		return done == 1 && gateA.blocked.Load() >= 1, "children: " + statuses(page.Tasks)
	})
	death.crash(t)

	b := s.process(t, "worker-b")
	s.startResearchWorker(t, b, s.researchHandlers(t, b, world, newGate(nil)), workerConfig(4))
	s.startFanInReconciler(t, b)
	requireResearchDone(t, api.store, id)
	require.NotEmpty(t, s.logs.Lines("parent_woken"))
}

// TestResearchWorkerDiesAfterCreatingChildren: A dies in the research's first attempt,
// right after the children's rows were written and before they were queued or the parent
// parked. B takes the research over after A's lease: it finds the ranking and the children
// A made, queues them instead of creating others, and the research completes.
func TestResearchWorkerDiesAfterCreatingChildren(t *testing.T) {
	t.Parallel()
	s := setup(t)
	world := &researchWorld{blobs: memoryBlobs()}
	api := s.process(t, "api")

	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	a.store = afterWrite{taskStore: a.store, created: func(out []domain.CreateResult) {
		if len(out) > 0 && out[0].Task.ParentID != "" {
			death.trigger()
		}
	}}
	death.mortal(a)
	death.reapAtEnd(t)
	handlersA := s.researchHandlers(t, a, world, newGate(nil))
	id := s.submitResearch(t, api, handlersA)
	s.startResearchWorker(t, a, handlersA, workerConfig(2))
	death.awaitCrash(t, "A to die after creating the children")

	b := s.process(t, "worker-b")
	s.startResearchWorker(t, b, s.researchHandlers(t, b, world, newGate(nil)), workerConfig(4))
	s.startFanInReconciler(t, b)
	requireResearchDone(t, api.store, id)
}

// TestResearchWorkerDiesBeforeWakingParent: A runs everything one task at a time and dies
// the moment the last child's final state is written, before it can wake the parked
// parent. Nobody else saw that child end, so only B's reconciler can wake the parent.
func TestResearchWorkerDiesBeforeWakingParent(t *testing.T) {
	t.Parallel()
	s := setup(t)
	world := &researchWorld{blobs: memoryBlobs()}
	api := s.process(t, "api")

	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	var ended atomic.Int64
	a.store = afterWrite{taskStore: a.store, updated: func(stored []domain.Task) {
		for _, task := range stored {
			if task.ParentID != "" && task.Status.Terminal() {
				if ended.Add(1) == researchFetchTop {
					death.trigger()
				}
			}
		}
	}}
	death.mortal(a)
	death.reapAtEnd(t)
	handlersA := s.researchHandlers(t, a, world, newGate(nil))
	id := s.submitResearch(t, api, handlersA)
	s.startResearchWorker(t, a, handlersA, workerConfig(1))
	death.awaitCrash(t, "A to die after the last child")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	parked, err := api.store.Get(ctx, id)
	require.NoError(t, err)
	require.Equal(t, domain.StatusScheduled, parked.Status)
	require.True(t, parked.AwaitingChildren)

	b := s.process(t, "worker-b")
	s.startResearchWorker(t, b, s.researchHandlers(t, b, world, newGate(nil)), workerConfig(4))
	s.startFanInReconciler(t, b)
	requireResearchDone(t, api.store, id)
	require.Contains(t, taskIDs(s.logs, "task_requeued_by_reconciler"), id)
}

func statuses(tasks []domain.Task) string {
	out := ""
	for _, t := range tasks {
		out += string(t.Status) + " "
	}
	return out
}
