package faults

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

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
	s, led, id, tasks := finishDeath(t, false, nil)
	require.Equal(t, []string{"worker-a"}, led.get(led.written, id), "the record shows A's finish")
	require.Equal(t, []string{"worker-a"}, led.get(led.completed, id), "B did not run it again")
	require.Equal(t, domain.AttemptSucceeded, tasks[id].AttemptLog[0].Outcome)
	require.Len(t, taskIDs(s.logs, "task_duplicate_skipped"), 1, "B skipped the task A finished")
}

// TestFinishIsLostWithItsProcess: the same, but A dies just before its finish reaches the
// store, its start already recorded (A's handler returns only once the record shows it
// running). What must survive: the task, at least once: A's attempt is lost with its
// result, B runs the task again, and B's is the only result (the ledger, asking the
// record, does not count A's unanswered write).
func TestFinishIsLostWithItsProcess(t *testing.T) {
	t.Parallel()
	log := lostWithA(t, untilRecordedRunning, 2)
	require.Equal(t, domain.AttemptLost, log[0].Outcome)
	require.Equal(t, domain.AttemptSucceeded, log[1].Outcome)
}

// TestLateStartIsLostWithItsProcess: A's handler ends at once, so A writes the task's
// start and outcome together (application's late starts), and A dies just before that
// write reaches the store. The record never saw A's attempt: the task is still queued,
// attempts 0. What must survive: the task, run again by B to the only result; B's
// delivery is a redelivery (A's lease lapsed), so B writes its start before it runs, and
// the record shows B's attempt alone.
func TestLateStartIsLostWithItsProcess(t *testing.T) {
	t.Parallel()
	log := lostWithA(t, nil, 1)
	require.Equal(t, "worker-b", log[0].Worker.Host)
	require.Equal(t, domain.AttemptSucceeded, log[0].Outcome)
}

// lostWithA runs finishDeath with A dying before its finish went out, checks that B ran
// the task again to the only result, and returns the task's attempt log, of entries
// entries.
func lostWithA(t *testing.T, body func(taskStore) func(context.Context, domain.Task) error, entries int) []domain.Attempt {
	t.Helper()
	_, led, id, tasks := finishDeath(t, true, body)
	require.Equal(t, []string{"worker-b"}, led.get(led.written, id))
	require.Equal(t, []string{"worker-a", "worker-b"}, led.get(led.completed, id), "A's run was lost, so B ran it again")
	log := tasks[id].AttemptLog
	require.Len(t, log, entries, "%+v", log)
	require.Equal(t, entries, tasks[id].Attempts, "one attempt counted per entry")
	return log
}

// untilRecordedRunning is a handler body that returns once the task's record shows this
// attempt running: its start was written (late, after the worker's StartDelay).
func untilRecordedRunning(store taskStore) func(context.Context, domain.Task) error {
	return func(ctx context.Context, task domain.Task) error {
		for {
			cur, err := store.Get(ctx, task.ID)
			if err == nil && cur.Status == domain.StatusRunning && cur.Holder == task.Holder {
				return nil
			}
			if err := sleepFor(ctx, 5*time.Millisecond); err != nil {
				return err
			}
		}
	}
}

// finishDeath runs 8 tasks on worker A (one at a time) until A dies at its first finish,
// before or after that finish commits, and then on worker B; it returns the ledger,
// settled, the id of the task whose finish A was writing, and every task as stored.
func finishDeath(t *testing.T, before bool, body func(taskStore) func(context.Context, domain.Task) error) (*services, *ledger, string, map[string]domain.Task) {
	t.Helper()
	s := setup(t)
	led := newLedger()
	api := s.process(t, "api")
	ids := s.submit(t, api, 8)

	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	dying := &dieAtFinish{taskStore: a.store, t: t, c: death, before: before}
	a.store = dying
	death.mortal(a)
	a.store = recordingStore{taskStore: a.store, who: "worker-a", led: led}
	aProbe := probe{who: "worker-a", led: led}
	if body != nil {
		aProbe.body = body(api.store)
	}
	s.startWorker(t, a, aProbe, workerConfig(1))
	eventually(t, "worker A to die at a finish", func() (bool, string) {
		return dying.finishing.Load() != "", "no finish sent yet"
	})
	b := s.process(t, "worker-b")
	b.store = recordingStore{taskStore: b.store, who: "worker-b", led: led}
	s.startWorker(t, b, probe{who: "worker-b", led: led}, workerConfig(4))

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	id := dying.finishing.Load()
	require.True(t, dying.hinted.Load(), "A's finish was a hinted write")
	require.NotContains(t, led.get(led.written, id), "worker-a", "A never got an answer")
	require.True(t, led.sent(id, "worker-a"), "the ledger saw A's finish go out")
	led.settle(t, tasks)
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, tasks[id].Status, "task %s", id)
		require.Len(t, led.get(led.written, id), 1, "task %s: one result; written by %v", id, led.get(led.written, id))
	}
	return s, led, id, tasks
}

// dieAtFinish is a process's store that kills the process at the first batch update that
// finishes a task: just before sending it (before), or just after it committed. Either way
// the answer of that batch is thrown away (dieAtFinish sits inside the crash switch).
type dieAtFinish struct {
	taskStore
	t         *testing.T
	c         *crashSwitch
	before    bool
	finishing atomicString // the task whose finish the death struck
	hinted    atomic.Bool  // that finish carried the compare-and-swap hint
}

func (s *dieAtFinish) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	if s.before && s.finishing.Load() == "" {
		for _, c := range changes {
			if finishes(c) { // a worker's finish
				s.hinted.Store(true)
				s.finishing.Store(c.ID)
				s.c.crash(s.t)
				// The store prepares the batch (each hinted finish's Apply runs on its Seen,
				// so the ledger sees the finish it was about to write) but, its context
				// ended, sends nothing: the write dies unsent.
				dead, cancel := context.WithCancel(ctx)
				cancel()
				_, err := s.taskStore.UpdateMany(dead, changes)
				return nil, errors.Join(errDead, err) // crashStore throws this answer away too
			}
		}
	}
	res, err := s.taskStore.UpdateMany(ctx, changes)
	if err != nil || s.before {
		return res, err
	}
	for i, r := range res {
		if r.Err == nil && r.Task.Status.Terminal() && s.finishing.Load() == "" {
			s.hinted.Store(changes[i].Seen != nil)
			s.finishing.Store(r.Task.ID)
			s.c.crash(s.t)
		}
	}
	return res, err
}

// finishes reports whether c is a worker's hinted finish: its Apply, on a copy of the
// version it saw, ends the task (a finish over the stored start, or a start written late
// together with the outcome).
func finishes(c domain.TaskChange) bool {
	if c.Seen == nil || c.Seen.Status.Terminal() {
		return false
	}
	t := c.Seen.Clone()
	return c.Apply(&t) == nil && t.Status.Terminal()
}

// atomicString is a string read and written atomically.
type atomicString struct{ v atomic.Value }

func (a *atomicString) Load() string {
	s, _ := a.v.Load().(string)
	return s
}

func (a *atomicString) Store(s string) { a.v.Store(s) }
