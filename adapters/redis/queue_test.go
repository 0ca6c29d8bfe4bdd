package redis_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// Two processes (two clients, two Queue values) on one prefix share the work, and each id
// is delivered once.
func TestQueueTwoProcessesShareWork(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	a := queueOn(t, process(t, r), r.Prefix)
	b := queueOn(t, process(t, r), r.Prefix)

	const total = 300
	want := map[string]int{}
	for range total {
		id := contract.NewID()
		want[id] = 1
		require.NoError(t, a.Enqueue(t.Context(), domain.QueueItem{TaskID: id}))
	}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	seen := map[string]int{}
	perQueue := map[string]int{}
	var wg sync.WaitGroup
	for name, q := range map[string]interface {
		Dequeue(context.Context, time.Duration) (domain.Lease, error)
		Ack(context.Context, domain.Lease) error
	}{"a": a, "b": b} {
		for range 4 {
			wg.Go(func() {
				for {
					l, err := q.Dequeue(ctx, time.Minute)
					if err != nil {
						return
					}
					if err := q.Ack(ctx, l); err != nil && ctx.Err() == nil {
						t.Errorf("Ack: %v", err)
					}
					mu.Lock()
					seen[l.TaskID]++
					perQueue[name]++
					if len(seen) == total {
						cancel()
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	require.Equal(t, want, seen, "every id delivered exactly once across both processes")
	require.Positive(t, perQueue["a"], "process a got work")
	require.Positive(t, perQueue["b"], "process b got work")
	n, err := a.Depth(t.Context())
	require.NoError(t, err)
	require.Zero(t, n)
}

// Losing every key of the prefix (FLUSHDB, a restart without persistence) while ids are
// waiting, leased and awaited must not wedge the queue: stale leases report ErrLeaseLost,
// blocked consumers keep blocking, and ids enqueued again (as the reconciler does) are
// delivered.
func TestQueueSurvivesDataLoss(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	q := queueOn(t, r.Client, r.Prefix)
	ctx := t.Context()

	leasedID, waitingID, delayedID := contract.NewID(), contract.NewID(), contract.NewID()
	require.NoError(t, q.Enqueue(ctx, domain.QueueItem{TaskID: leasedID}))
	l, err := q.Dequeue(ctx, time.Minute)
	require.NoError(t, err)
	require.NoError(t, q.Enqueue(ctx, domain.QueueItem{TaskID: waitingID}))
	require.NoError(t, q.Enqueue(ctx, domain.QueueItem{TaskID: delayedID, NotBefore: time.Now().Add(time.Hour)}))

	require.NoError(t, harness.RedisDeletePrefix(ctx, r.Client, r.Prefix))
	require.Zero(t, countKeys(t, r.Client, r.Prefix))

	requireLost := func(err error) { t.Helper(); require.ErrorIs(t, err, domain.ErrLeaseLost) }
	requireLost(q.Extend(ctx, l, time.Minute))
	requireLost(q.Ack(ctx, l))
	requireLost(q.Release(ctx, l, time.Time{}))
	for _, id := range []string{leasedID, waitingID, delayedID} {
		ok, err := q.Contains(ctx, id)
		require.NoError(t, err)
		require.False(t, ok, "the queue no longer holds %s", id)
	}

	// A consumer blocks on the emptied queue; the reconciler's re-enqueue wakes it.
	got := make(chan domain.Lease, 3)
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	go func() {
		for range 3 {
			l, err := q.Dequeue(dctx, time.Minute)
			if err != nil {
				close(got)
				return
			}
			got <- l
		}
	}()
	// Blocked before the ids come back, so it is the re-enqueue that must wake it.
	require.Eventually(t, func() bool {
		n, err := harness.RedisBlocked(ctx, r)
		return err == nil && n == 1
	}, 10*time.Second, 5*time.Millisecond, "the consumer never blocked on the emptied queue")
	for _, id := range []string{leasedID, waitingID, delayedID} {
		require.NoError(t, q.Enqueue(ctx, domain.QueueItem{TaskID: id}))
	}
	delivered := map[string]bool{}
	for range 3 {
		l, ok := <-got
		require.True(t, ok, "a re-enqueued id was not delivered")
		delivered[l.TaskID] = true
		require.NoError(t, q.Ack(ctx, l))
	}
	require.Len(t, delivered, 3)
}

// An id moved into the claiming list by a consumer that died before claiming it is put back
// after the claim timeout and delivered to another consumer.
func TestQueueRecoversOrphanedClaim(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	q := queueOn(t, r.Client, r.Prefix)
	id := contract.NewID()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: id}))

	// What a consumer's BLMOVE does just before its process is killed.
	base := "{" + r.Prefix + "}:queue:"
	require.NoError(t, r.Client.LMove(t.Context(), base+"ready", base+"claiming", "RIGHT", "LEFT").Err())

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	l, err := q.Dequeue(ctx, time.Minute)
	require.NoError(t, err, "the orphaned id is recovered")
	require.Equal(t, id, l.TaskID)
	require.NoError(t, q.Ack(t.Context(), l))
	ok, err := q.Contains(t.Context(), id)
	require.NoError(t, err)
	require.False(t, ok)
}
