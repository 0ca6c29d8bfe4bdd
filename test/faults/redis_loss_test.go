package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/test/harness"
)

// TestRedisLosesQueuedTasks: 200 tasks are accepted (recorded in PostgreSQL as queued and
// pushed to Redis) while no worker runs; then Redis loses every key of the deployment, as
// FLUSHDB or a restart without persistence does. The shared test server is not flushed:
// deleting every key under the test's prefix is what FLUSHDB means to one deployment.
// Then workers and the reconciler start.
//
// What must survive: PostgreSQL is the record, so every accepted task still runs: a
// reconciler (each worker process runs one, as in production) queues each of them again,
// and each succeeds with exactly one completed run and one result, however many
// reconcilers raced to requeue it.
func TestRedisLosesQueuedTasks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	depth, err := api.queue.Depth(ctx)
	require.NoError(t, err)
	require.EqualValues(t, taskCount, depth, "every accepted task was queued")

	require.NoError(t, harness.RedisDeletePrefix(ctx, s.redis.Client, s.redis.Prefix))
	depth, err = api.queue.Depth(ctx)
	require.NoError(t, err)
	require.Zero(t, depth, "Redis lost the queue")

	for _, name := range []string{"worker-a", "worker-b"} {
		p := s.process(t, name)
		p.store = recordingStore{taskStore: p.store, who: name, led: led}
		s.startWorker(t, p, probe{who: name, led: led, body: func(ctx context.Context, _ domain.Task) error {
			return sleepFor(ctx, time.Duration(rand.IntN(10))*time.Millisecond)
		}}, workerConfig(8))
		s.startReconciler(t, p)
	}

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	led.settle(t, tasks)
	requeued := taskIDs(s.logs, "task_requeued_by_reconciler")
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, tasks[id].Status, "task %s: %+v", id, tasks[id].Error)
		require.Len(t, led.get(led.completed, id), 1, "task %s must run to completion exactly once", id)
		require.Len(t, led.get(led.written, id), 1, "task %s must get exactly one result", id)
		require.GreaterOrEqual(t, requeued[id], 1, "task %s must be queued again by a reconciler", id)
	}
}

// TestRedisLosesRunningTasks: two worker processes (each with its reconciler, as in
// production) are busy with 200 tasks of 0.2 to 0.7 s when Redis loses every key of the
// deployment: the ready list, the delayed set, the leases of the tasks being run.
//
// What must survive: every task succeeds with exactly one result. A worker whose lease
// vanished learns it at its next heartbeat and stops; the task, still running in the
// record, is requeued by a reconciler once it looks stale and finishes on the next
// delivery. Queued tasks whose ids vanished are requeued too.
func TestRedisLosesRunningTasks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)
	for _, name := range []string{"worker-a", "worker-b"} {
		p := s.process(t, name)
		p.store = recordingStore{taskStore: p.store, who: name, led: led}
		s.startWorker(t, p, probe{who: name, led: led, body: func(ctx context.Context, _ domain.Task) error {
			return sleepFor(ctx, time.Duration(200+rand.IntN(500))*time.Millisecond)
		}}, workerConfig(16))
		s.startReconciler(t, p)
	}

	eventually(t, "a third of the tasks to finish", func() (bool, string) {
		n := led.count(led.written, "worker-a") + led.count(led.written, "worker-b")
		return n >= taskCount/3, fmt.Sprintf("%d finished", n)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var running int
	for _, id := range ids {
		if len(led.get(led.started, id)) > 0 && len(led.get(led.written, id)) == 0 {
			running++
		}
	}
	require.NoError(t, harness.RedisDeletePrefix(ctx, s.redis.Client, s.redis.Prefix))
	t.Logf("Redis lost its data with about %d tasks running", running)

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	led.settle(t, tasks)
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, tasks[id].Status, "task %s: %+v", id, tasks[id].Error)
		require.Len(t, led.get(led.written, id), 1, "task %s must get exactly one result", id)
	}
	requeuedRunning := 0
	for _, line := range s.logs.Lines("task_requeued_by_reconciler") {
		if strings.Contains(line, `"status":"running"`) {
			requeuedRunning++
		}
	}
	require.Positive(t, requeuedRunning, "tasks whose lease vanished mid-run were requeued")
	t.Logf("%d running tasks requeued by the reconcilers; %d task lost its lease mid-run",
		requeuedRunning, len(taskIDs(s.logs, "task_lease_lost")))
}
