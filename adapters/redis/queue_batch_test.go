package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// Batches larger than one script takes (1,000 ids) are split: every id is enqueued in
// order, DequeueMany leases at most 1,000 at once, and AckMany acks them all.
func TestQueueBatchLargerThanOneScript(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	q := queueOn(t, r.Client, r.Prefix)
	ctx := t.Context()

	items := make([]domain.QueueItem, 2500)
	for i := range items {
		items[i] = domain.QueueItem{TaskID: contract.NewID()}
	}
	require.NoError(t, q.EnqueueMany(ctx, items))
	require.NoError(t, q.EnqueueMany(ctx, items), "a repeat of the whole batch adds nothing")
	n, err := q.Depth(ctx)
	require.NoError(t, err)
	require.EqualValues(t, len(items), n)

	var leases []domain.Lease
	for _, want := range []int{1000, 1000, 500} {
		got, err := q.DequeueMany(ctx, 5000, time.Minute)
		require.NoError(t, err)
		require.Len(t, got, want)
		leases = append(leases, got...)
	}
	for i, l := range leases {
		require.Equal(t, items[i].TaskID, l.TaskID, "delivery %d out of order", i)
	}
	lost, err := q.AckMany(ctx, leases)
	require.NoError(t, err)
	require.Empty(t, lost)
	keys, err := r.Client.Keys(ctx, redis.KeyPattern(r.Prefix)).Result()
	require.NoError(t, err)
	require.Subset(t, []string{"{" + r.Prefix + "}:queue:promote_gate"}, keys, "nothing left behind but the gate")
}

// After Redis loses the prefix's keys, a batch's leases are all lost (no error), and a
// DequeueMany blocked on the emptied queue is woken by the reconciler's EnqueueMany.
func TestQueueBatchSurvivesDataLoss(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	q := queueOn(t, r.Client, r.Prefix)
	ctx := t.Context()

	ids := []string{contract.NewID(), contract.NewID(), contract.NewID()}
	items := []domain.QueueItem{{TaskID: ids[0]}, {TaskID: ids[1]}, {TaskID: ids[2]}}
	require.NoError(t, q.EnqueueMany(ctx, items))
	leases, err := q.DequeueMany(ctx, 3, time.Minute)
	require.NoError(t, err)
	require.Len(t, leases, 3)

	require.NoError(t, harness.RedisDeletePrefix(ctx, r.Client, r.Prefix))
	lost, err := q.AckMany(ctx, leases)
	require.NoError(t, err)
	require.Equal(t, leases, lost)

	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got := make(chan []domain.Lease, 1)
	go func() {
		ls, _ := q.DequeueMany(dctx, 3, time.Minute)
		got <- ls
	}()
	require.Eventually(t, func() bool {
		n, err := harness.RedisBlocked(ctx, r)
		return err == nil && n == 1
	}, 10*time.Second, 5*time.Millisecond, "the consumer never blocked on the emptied queue")
	require.NoError(t, q.EnqueueMany(ctx, items))
	again := <-got
	require.NotEmpty(t, again, "the re-enqueued ids were not delivered")
	for i, l := range again {
		require.Equal(t, ids[i], l.TaskID, "oldest first")
	}
}

// An id left in claiming by a consumer that died between BLMOVE and claim is recovered by
// DequeueMany's promotion as by Dequeue's.
func TestQueueBatchRecoversOrphanedClaim(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	q := queueOn(t, r.Client, r.Prefix)
	id := contract.NewID()
	require.NoError(t, q.EnqueueMany(t.Context(), []domain.QueueItem{{TaskID: id}}))

	// What a consumer's BLMOVE does just before its process is killed.
	base := "{" + r.Prefix + "}:queue:"
	require.NoError(t, r.Client.LMove(t.Context(), base+"ready", base+"claiming", "RIGHT", "LEFT").Err())

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	leases, err := q.DequeueMany(ctx, 10, time.Minute)
	require.NoError(t, err, "the orphaned id is recovered")
	require.Len(t, leases, 1)
	require.Equal(t, id, leases[0].TaskID)
	lost, err := q.AckMany(t.Context(), leases)
	require.NoError(t, err)
	require.Empty(t, lost)
}
