package faults

import (
	"context"
	"math/rand/v2"
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
		p.store = recordingStore{TaskStore: p.store, who: name, led: led}
		s.startWorker(t, p, probe{who: name, led: led, body: func(ctx context.Context, _ domain.Task) error {
			return sleepFor(ctx, time.Duration(rand.IntN(10))*time.Millisecond)
		}}, workerConfig(8))
		s.startReconciler(t, p)
	}

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	requeued := s.logs.taskIDs("task_requeued_by_reconciler")
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, tasks[id].Status, "task %s: %+v", id, tasks[id].Error)
		require.Len(t, led.get(led.completed, id), 1, "task %s must run to completion exactly once", id)
		require.Len(t, led.get(led.written, id), 1, "task %s must get exactly one result", id)
		require.GreaterOrEqual(t, requeued[id], 1, "task %s must be queued again by a reconciler", id)
	}
}
