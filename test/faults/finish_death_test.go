package faults

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestFinishCommitsAsItsProcessDies: worker A's process dies the moment the store has
// committed a batch that finishes a task, before the answer reaches A (kill -9 between
// COMMIT and the reply: the crash CI once caught at random in TestWorkerDiesMidTask). A's
// finish goes the production way, as a hinted compare-and-swap. Worker B then takes over
// what A left.
//
// What must survive: the committed result. The task A finished stays A's: B finds it
// finished and skips it, and the ledger counts A's result from the record although A never
// learned that it was stored; no task is run to a second result.
func TestFinishCommitsAsItsProcessDies(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()
	api := s.process(t, "api")
	ids := s.submit(t, api, 8)

	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	dying := &dieAfterFinish{taskStore: a.store, t: t, c: death}
	a.store = dying
	death.mortal(a)
	a.store = recordingStore{taskStore: a.store, who: "worker-a", led: led}
	s.startWorker(t, a, probe{who: "worker-a", led: led}, workerConfig(1))
	eventually(t, "worker A to die with a finish committed", func() (bool, string) {
		return dying.finished.Load() != "", "no finish committed yet"
	})
	b := s.process(t, "worker-b")
	b.store = recordingStore{taskStore: b.store, who: "worker-b", led: led}
	s.startWorker(t, b, probe{who: "worker-b", led: led}, workerConfig(4))

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	id := dying.finished.Load()
	require.True(t, dying.hinted.Load(), "A's finish was a hinted write")
	require.Empty(t, led.get(led.written, id), "A never got the answer")
	led.settle(t, tasks)
	require.Equal(t, []string{"worker-a"}, led.get(led.written, id), "the record shows A's finish")
	require.Equal(t, []string{"worker-a"}, led.get(led.completed, id), "B did not run it again")
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, tasks[id].Status, "task %s", id)
		require.Len(t, led.get(led.written, id), 1, "task %s: one result; written by %v", id, led.get(led.written, id))
	}
}

// dieAfterFinish is a process's store that kills the process as soon as a batch update that
// finished a task has committed, so the answer of that batch is thrown away (dieAfterFinish
// sits inside the crash switch).
type dieAfterFinish struct {
	taskStore
	t        *testing.T
	c        *crashSwitch
	finished atomicString // the task whose finish committed
	hinted   atomic.Bool  // that finish carried the compare-and-swap hint
}

func (s *dieAfterFinish) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	res, err := s.taskStore.UpdateMany(ctx, changes)
	if err != nil {
		return res, err
	}
	for i, r := range res {
		if r.Err == nil && r.Task.Status.Terminal() && s.finished.Load() == "" {
			s.hinted.Store(changes[i].Seen != nil)
			s.finished.Store(r.Task.ID)
			s.c.crash(s.t)
		}
	}
	return res, err
}

// atomicString is a string read and written atomically.
type atomicString struct{ v atomic.Value }

func (a *atomicString) Load() string {
	s, _ := a.v.Load().(string)
	return s
}

func (a *atomicString) Store(s string) { a.v.Store(s) }
