package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestWorkerDiesMidTask: worker process A runs tasks, then dies (kill -9: see crashSwitch)
// while it holds tasks mid-run, leased and marked running, never acked. Worker process B,
// healthy, is started afterwards.
//
// What must survive: every one of the 200 accepted tasks succeeds with exactly one result,
// written by the process whose handler produced it; the tasks A held are delivered again
// once A's lease expires and B finishes them; B runs no task twice, and never one whose
// result A had committed. A writes each outcome after its loop has moved on to the next
// task (application.Worker.concludeAsync), so the death may also catch an outcome on its
// way to the record: if it committed, that task is A's and B skips it (the ledger learns
// so from the record, the answer having died with A); if not, the task is at-least-once:
// A's run counts as lost and B runs it again, to the only result.
func TestWorkerDiesMidTask(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)

	// Worker A: runs tasks normally (a short sleep each) until it has completed aDone of
	// them; every task it takes after that blocks in the handler, once the record shows it
	// running (its start is written late: application's late starts), so at the moment of
	// death A holds exactly aConcurrency tasks mid-run, each recorded as A's attempt.
	const aConcurrency, aDone = 8, 40
	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	death.mortal(a)
	// The recorder sits outside the crash switch, where the process sees its calls: a
	// finish whose answer the dead process never received is counted only when the record
	// shows it committed (ledger.settle).
	a.store = recordingStore{taskStore: a.store, who: "worker-a", led: led}
	var aCompleted, aBlocked atomic.Int64
	recorded := untilRecordedRunning(api.store)
	s.startWorker(t, a, probe{who: "worker-a", led: led, body: func(ctx context.Context, task domain.Task) error {
		if aCompleted.Load() >= aDone {
			if err := recorded(ctx, task); err != nil {
				return err
			}
			aBlocked.Add(1)
			<-ctx.Done() // until the process is reaped at the end of the test
			return ctx.Err()
		}
		if err := sleepFor(ctx, time.Duration(5+rand.IntN(25))*time.Millisecond); err != nil {
			return err
		}
		aCompleted.Add(1)
		return nil
	}}, workerConfig(aConcurrency))

	// Once every one of A's loops is blocked in a handler A dequeues nothing more, so the
	// death strikes the tasks A holds, and at most the outcomes of the last tasks A
	// completed, still on their way to the record.
	eventually(t, "worker A to hold a full load mid-task", func() (bool, string) {
		return aBlocked.Load() == aConcurrency, fmt.Sprintf("%d of A's handlers blocked, %d completed", aBlocked.Load(), aCompleted.Load())
	})
	death.crash(t)
	var held []string
	for _, id := range ids {
		if len(led.get(led.started, id)) == 1 && len(led.get(led.completed, id)) == 0 {
			held = append(held, id)
		}
	}
	require.Len(t, held, aConcurrency, "tasks A held when it died")

	// Worker B: healthy, the same short lease.
	b := s.process(t, "worker-b")
	b.store = recordingStore{taskStore: b.store, who: "worker-b", led: led}
	s.startWorker(t, b, probe{who: "worker-b", led: led, body: func(ctx context.Context, _ domain.Task) error {
		return sleepFor(ctx, time.Duration(rand.IntN(20))*time.Millisecond)
	}}, workerConfig(8))

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	led.settle(t, tasks)
	rerun := 0
	for _, id := range ids {
		task := tasks[id]
		require.Equal(t, domain.StatusSucceeded, task.Status, "task %s: %+v", id, task.Error)
		written := led.get(led.written, id)
		require.Len(t, written, 1, "task %s must get exactly one result; written by %v", id, written)
		var res struct {
			By string `json:"by"`
		}
		require.NoError(t, json.Unmarshal(task.Result, &res))
		require.Equal(t, written[0], res.By, "task %s: the stored result is the writer's", id)
		completed := led.get(led.completed, id)
		if written[0] == "worker-a" {
			require.Equal(t, []string{"worker-a"}, completed, "task %s: A's result committed, so B never ran it", id)
			continue
		}
		require.Equal(t, 1, countOf(completed, "worker-b"), "task %s: B ran it to completion once; completed by %v", id, completed)
		if countOf(completed, "worker-a") > 0 {
			// A completed it but died before its outcome committed: A's attempt is lost,
			// or, when A had not written its start yet (a start written late, with the
			// outcome), absent from the record; B's attempt is the last.
			require.Equal(t, []string{"worker-a", "worker-b"}, completed, "task %s", id)
			log := task.AttemptLog
			require.Equal(t, "worker-b", log[len(log)-1].Worker.Host, "task %s: %+v", id, log)
			for _, a := range log[:len(log)-1] {
				require.Equal(t, domain.AttemptLost, a.Outcome, "task %s: %+v", id, log)
				require.Equal(t, "worker-a", a.Worker.Host, "task %s: %+v", id, log)
			}
			rerun++
		}
	}
	t.Logf("A completed %d tasks and had its outcome of %d committed; %d outcomes died with A and B ran those tasks again",
		led.count(led.completed, "worker-a"), led.count(led.written, "worker-a"), rerun)
	for _, id := range held {
		require.Equal(t, []string{"worker-b"}, led.get(led.completed, id), "task %s, held by A at its death, must be finished by B", id)
		require.Equal(t, 2, tasks[id].Attempts, "task %s: A's lost attempt and B's", id)
		// The attempt log says so: A's attempt lost (closed when B took the task over),
		// then B's, succeeded.
		log := tasks[id].AttemptLog
		require.Len(t, log, 2, "task %s: attempt log %+v", id, log)
		require.Equal(t, domain.AttemptLost, log[0].Outcome, "task %s", id)
		require.Equal(t, "worker-a", log[0].Worker.Host)
		require.Equal(t, 1, log[0].Number)
		require.NotNil(t, log[0].FinishedAt)
		require.Equal(t, domain.AttemptSucceeded, log[1].Outcome, "task %s", id)
		require.Equal(t, "worker-b", log[1].Worker.Host)
		require.Equal(t, 2, log[1].Number)
		require.False(t, log[1].StartedAt.Before(*log[0].FinishedAt), "B's attempt starts when A's is found lost")
	}
	require.GreaterOrEqual(t, led.count(led.completed, "worker-a"), aDone)
	require.Equal(t, led.count(led.completed, "worker-a"), led.count(led.written, "worker-a")+rerun,
		"every task A completed has A's result, or lost A's attempt and was run again by B")
}

// countOf returns how many of whos are who.
func countOf(whos []string, who string) int {
	n := 0
	for _, w := range whos {
		if w == who {
			n++
		}
	}
	return n
}
