package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// The DequeueMany cases of the BatchQueue suite.

type batchDequeued struct {
	leases []domain.Lease
	err    error
}

// dequeueManyAsync starts a DequeueMany and returns where its result lands.
func dequeueManyAsync(ctx context.Context, q BatchingQueue, limit int, d time.Duration) <-chan batchDequeued {
	out := make(chan batchDequeued, 1)
	go func() {
		leases, err := q.DequeueMany(ctx, limit, d)
		out <- batchDequeued{leases, err}
	}()
	return out
}

func batchDequeueAtMostMax(t *testing.T, q BatchingQueue) {
	ids := newIDs(10)
	enqueueMany(t, q, ids...)
	for _, span := range [][2]int{{0, 4}, {4, 8}, {8, 10}} {
		// Exactly min(max, ready): the last call takes the 2 left without waiting for more.
		got := dequeueMany(t, q, 4, longLease)
		require.Equal(t, ids[span[0]:span[1]], leasedIDs(got), "oldest first, at most max")
	}
	requireDepth(t, q, 0)
	requireNothingFor(t, q, 300*time.Millisecond)
}

func batchDequeueRejectsZero(t *testing.T, q BatchingQueue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	for _, limit := range []int{0, -1} {
		leases, err := q.DequeueMany(ctx, limit, longLease)
		require.Error(t, err, "DequeueMany with max %d", limit)
		require.NotErrorIs(t, err, context.DeadlineExceeded, "DequeueMany with max %d waited instead of failing", limit)
		require.Empty(t, leases)
	}
	require.Equal(t, id, dequeue(t, q, longLease).TaskID, "the rejected calls leased nothing")
}

func (s batchSuite) blocksUntilEnqueue(t *testing.T, q BatchingQueue) {
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	res := dequeueManyAsync(ctx, q, 5, longLease)
	s.waitParked(t, q, 1)
	select {
	case r := <-res:
		t.Fatalf("DequeueMany returned on an empty queue: %+v", r)
	case <-time.After(200 * time.Millisecond):
	}
	ids := newIDs(3)
	enqueueMany(t, q, ids...)
	var r batchDequeued
	select {
	case r = <-res:
	case <-time.After(wait):
		t.Fatal("blocked DequeueMany was not woken by EnqueueMany")
	}
	require.NoError(t, r.err)
	requireBatch(t, r.leases, 5)
	got := leasedIDs(r.leases)
	require.Equal(t, ids[:len(got)], got, "oldest first")
	if rest := ids[len(got):]; len(rest) > 0 {
		require.Equal(t, rest, leasedIDs(collect(t, q, len(rest), longLease)), "the ids it left are still there")
	}
}

func (s batchSuite) honoursCancel(t *testing.T, q BatchingQueue) {
	ctx, cancel := context.WithCancel(t.Context())
	res := dequeueManyAsync(ctx, q, 5, longLease)
	s.waitParked(t, q, 1) // blocked, not merely started: see queueSuite.honoursCancel
	cancel()
	select {
	case r := <-res:
		require.ErrorIs(t, r.err, context.Canceled)
		require.Empty(t, r.leases)
	case <-time.After(wait):
		t.Fatal("DequeueMany did not return after its context was cancelled")
	}
	// The abandoned call must not have swallowed anything.
	ids := newIDs(3)
	enqueueMany(t, q, ids...)
	require.Equal(t, ids, leasedIDs(collect(t, q, 3, longLease)))
}

func batchDequeueDeadline(t *testing.T, q BatchingQueue) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	leases, err := q.DequeueMany(ctx, 5, longLease)
	require.ErrorIs(t, err, context.DeadlineExceeded, "expected no delivery, got %+v", leases)
	require.Less(t, time.Since(start), wait, "DequeueMany overran its deadline")
}

func batchDequeueIndependent(t *testing.T, q BatchingQueue) {
	ctx := t.Context()
	ids := newIDs(3)
	enqueueMany(t, q, ids...)
	ls := dequeueMany(t, q, 3, longLease)
	require.Equal(t, ids, leasedIDs(ls))
	require.Len(t, map[string]bool{ls[0].Token: true, ls[1].Token: true, ls[2].Token: true}, 3,
		"each lease of a batch has its own token")

	require.NoError(t, q.Extend(ctx, ls[0], longLease))
	require.NoError(t, q.Ack(ctx, ls[1]))
	require.NoError(t, q.Release(ctx, ls[2], time.Time{}))
	requireLost(t, q.Ack(ctx, ls[1]), "second Ack of one lease of the batch")
	again := dequeue(t, q, longLease)
	require.Equal(t, ids[2], again.TaskID, "only the released id is delivered again")
	require.NotEqual(t, ls[2].Token, again.Token)
	requireLost(t, q.Extend(ctx, ls[2], longLease), "Extend of the released lease")
	require.NoError(t, q.Ack(ctx, ls[0]), "the other leases of the batch are untouched")
	require.NoError(t, q.Ack(ctx, again))
	requireContains(t, q, ids[0], false)
	requireDepth(t, q, 0)
}

func batchDequeueRedelivers(t *testing.T, q BatchingQueue) {
	ctx := t.Context()
	ids := newIDs(3)
	enqueueMany(t, q, ids...)
	first := dequeueMany(t, q, 3, shortLease)
	leasedAt := time.Now()
	require.Equal(t, ids, leasedIDs(first))
	require.NoError(t, q.Extend(ctx, first[1], longLease))

	// Blocked before the leases expire: the queue must wake it on expiry.
	again := collect(t, q, 2, longLease)
	require.GreaterOrEqual(t, time.Since(leasedAt), shortLease-clockSlack, "redelivered before the lease expired")
	require.ElementsMatch(t, []string{ids[0], ids[2]}, leasedIDs(again), "the expired leases, not the extended one")
	for _, l := range first {
		require.False(t, l.Redelivered, "a first delivery is no redelivery")
	}
	for _, l := range again {
		require.NotContains(t, []string{first[0].Token, first[2].Token}, l.Token, "a redelivery has a new token")
		require.True(t, l.Redelivered, "a delivery after a lapsed lease says so")
	}

	lost, err := q.AckMany(ctx, first)
	require.NoError(t, err)
	require.Equal(t, []domain.Lease{first[0], first[2]}, lost, "the expired leases are lost, the extended one acked")
	lost, err = q.AckMany(ctx, again)
	require.NoError(t, err)
	require.Empty(t, lost)
	for _, id := range ids {
		requireContains(t, q, id, false)
	}
}

func (s batchSuite) concurrent(t *testing.T, q BatchingQueue) {
	const batches, batchSize = 6, 25
	s.deliverEachOnce(t, q, deliveryRace{producers: 4, consumers: 4, perProducer: batches * batchSize,
		take: func(ctx context.Context) ([]domain.Lease, error) {
			leases, err := q.DequeueMany(ctx, 8, longLease)
			if err != nil {
				return nil, err
			}
			if len(leases) == 0 || len(leases) > 8 {
				t.Errorf("DequeueMany(8) returned %d leases", len(leases))
			}
			if lost, err := q.AckMany(ctx, leases); (err != nil || len(lost) > 0) && ctx.Err() == nil {
				t.Errorf("AckMany: lost %v, %v", lost, err)
			}
			return leases, nil
		},
		put: func(ctx context.Context, ids []string) {
			for b := range batches {
				items := make([]domain.QueueItem, batchSize)
				for i := range items {
					items[i] = domain.QueueItem{TaskID: ids[b*batchSize+i]}
				}
				if err := q.EnqueueMany(ctx, items); err != nil {
					t.Errorf("EnqueueMany: %v", err)
				}
			}
		},
	})
}

// In one batch, each lease says for itself whether its id's lease lapsed before.
func batchDequeueMarksEachRedelivery(t *testing.T, q BatchingQueue) {
	lapsing, fresh := NewID(), NewID()
	enqueueMany(t, q, lapsing)
	first := dequeueMany(t, q, 1, shortLease)
	require.Equal(t, []string{lapsing}, leasedIDs(first))
	expires := time.Now().Add(shortLease + clockSlack)
	eventually(t, wait, func() bool { return time.Now().After(expires) }, "the lease's expiry did not pass")
	enqueueMany(t, q, fresh)
	got := collect(t, q, 2, longLease)
	marks := map[string]bool{}
	for _, l := range got {
		marks[l.TaskID] = l.Redelivered
	}
	require.Equal(t, map[string]bool{lapsing: true, fresh: false}, marks)
}
