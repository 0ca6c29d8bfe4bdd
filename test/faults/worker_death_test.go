package faults

import (
	"context"
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
// What must survive: every one of the 200 accepted tasks succeeds, the tasks A held are
// delivered again once A's lease expires and B finishes them, and each task is run to
// completion exactly once across both processes and gets exactly one result: the tasks A
// finished before dying are not run again by B, and none is run twice by B.
func TestWorkerDiesMidTask(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)

	// Worker A: runs tasks normally (a short sleep each) until it has completed aDone of
	// them; every task it takes after that blocks in the handler, so at the moment of death
	// A holds exactly aConcurrency tasks mid-run.
	const aConcurrency, aDone = 8, 40
	a := s.process(t, "worker-a")
	death := newCrashSwitch()
	death.mortal(a)
	// The recorder sits outside the crash switch: a write whose answer the dead process
	// never received is not counted as its result.
	a.store = recordingStore{taskStore: a.store, who: "worker-a", led: led}
	var aCompleted, aBlocked atomic.Int64
	s.startWorker(t, a, probe{who: "worker-a", led: led, body: func(ctx context.Context, _ domain.Task) error {
		if aCompleted.Load() >= aDone {
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

	// Each of A's loops handles one delivery to the end (result written, acked) before it
	// takes the next; batched writes and acks included, since a loop waits for its own
	// share of a batch. So once every loop is blocked in the handler nothing A finished is
	// still in flight, and no batch dequeue either: the death strikes only the tasks A
	// holds.
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
	for _, id := range ids {
		task := tasks[id]
		require.Equal(t, domain.StatusSucceeded, task.Status, "task %s: %+v", id, task.Error)
		require.Len(t, led.get(led.completed, id), 1, "task %s must run to completion exactly once; completed by %v", id, led.get(led.completed, id))
		require.Len(t, led.get(led.written, id), 1, "task %s must get exactly one result; written by %v", id, led.get(led.written, id))
	}
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
	require.Equal(t, led.count(led.completed, "worker-a"), led.count(led.written, "worker-a"),
		"every task A completed before dying has A's result")
}
