package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestStaleHolderCannotTouchTheTask: worker A holds tasks while cut off from Redis, so its
// leases lapse and worker B takes every task over and runs it. Then A's runs return,
// one way or another, while B's still run. What must survive: B's attempt. A's late write,
// whether a transient failure (before the holder check it moved B's running task back to
// queued, to run a third time) or a success (it overwrote the record under B), is refused
// because A no longer holds the task; B's result is the only one, after two attempts.
//
// A's reads of the record fail too, so its heartbeat cannot notice the takeover and stop
// the run early: what is tested is the guard on the final write itself.
func TestStaleHolderCannotTouchTheTask(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		outcome error
	}{
		{"transient failure", domain.NewError(domain.CodeProviderError, "provider answered 503").Transient()},
		{"success", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := setup(t)
			led := newLedger()
			const n = 10
			api := s.process(t, "api")
			ids := s.submit(t, api, n)

			releaseA, releaseB := make(chan struct{}), make(chan struct{})
			held := func(release chan struct{}, outcome error) func(context.Context, domain.Task) error {
				return func(ctx context.Context, _ domain.Task) error {
					select {
					case <-release:
						return outcome
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}

			a := s.process(t, "worker-a")
			a.queue = &noHeartbeatQueue{taskQueue: a.queue}
			a.store = recordingStore{taskStore: blindReads{a.store}, who: "worker-a", led: led}
			s.startWorker(t, a, probe{who: "worker-a", led: led, body: held(releaseA, tc.outcome)}, workerConfig(n))
			eventually(t, "worker A to hold every task", func() (bool, string) {
				got := led.count(led.started, "worker-a")
				return got == n, fmt.Sprintf("A started %d of %d", got, n)
			})

			b := s.process(t, "worker-b")
			b.store = recordingStore{taskStore: b.store, who: "worker-b", led: led}
			s.startWorker(t, b, probe{who: "worker-b", led: led, body: held(releaseB, nil)}, workerConfig(n))
			eventually(t, "worker B to take every task over", func() (bool, string) {
				got := led.count(led.started, "worker-b")
				return got == n, fmt.Sprintf("B started %d of %d", got, n)
			})

			close(releaseA)
			eventually(t, "every late write of A to be refused", func() (bool, string) {
				got := len(taskIDs(s.logs, "task_finish_conflict"))
				return got == n, fmt.Sprintf("%d of %d refused", got, n)
			})
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			for _, id := range ids {
				task, err := api.store.Get(ctx, id)
				require.NoError(t, err)
				require.Equal(t, domain.StatusRunning, task.Status, "task %s stays with B", id)
				require.Equal(t, 2, task.Attempts, "task %s", id)
				require.NotEmpty(t, task.Holder, "task %s", id)
			}

			close(releaseB)
			tasks := waitFinished(t, api.store, ids)
			waitQueueEmpty(t, api.queue, ids)
			led.settle(t, tasks)
			for _, id := range ids {
				task := tasks[id]
				require.Equal(t, domain.StatusSucceeded, task.Status, "task %s: %+v", id, task.Error)
				require.Equal(t, 2, task.Attempts, "task %s ran twice, never a third time", id)
				require.Empty(t, task.Holder, "task %s: a finished task has no holder", id)
				require.Equal(t, []string{"worker-b"}, led.get(led.written, id), "task %s: only B's write lands", id)
				var res struct {
					By string `json:"by"`
				}
				require.NoError(t, json.Unmarshal(task.Result, &res))
				require.Equal(t, "worker-b", res.By, "task %s", id)
			}
			require.Len(t, led.get(led.started, ids[0]), 2, "A and B ran it, nobody else")
		})
	}
}

// blindReads is a task store whose reads fail (the worker cannot see the record) while
// its writes, single and batched, go through (the batch port has no reads).
type blindReads struct {
	taskStore
}

func (blindReads) Get(context.Context, string) (domain.Task, error) {
	return domain.Task{}, domain.Unavailable("task store", errors.New("read timed out"))
}
