package contract

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// BatchingQueue is a queue with both ports, as every queue adapter has: the batch suite
// checks a batch's leases through the single-id methods.
type BatchingQueue interface {
	ports.Queue
	ports.BatchQueue
}

// BatchQueue is the contract of ports.BatchQueue. newQueue must return an empty queue no
// other test uses; opts.Parked must count blocked DequeueMany calls as well as Dequeue
// calls.
func BatchQueue(t *testing.T, newQueue func(t *testing.T) BatchingQueue, opts QueueOptions) {
	t.Helper()
	if opts.Parked == nil {
		t.Fatal("contract.BatchQueue: QueueOptions.Parked is required")
	}
	s := batchSuite{queueSuite{opts}}
	runSuite(t, newQueue, []suiteCase[BatchingQueue]{
		{"EnqueueMany", "DeliversInOrderGiven", batchEnqueueOrder},
		{"EnqueueMany", "DuplicatesInOneCallAddedOnce", batchEnqueueDuplicates},
		{"EnqueueMany", "LeavesWaitingAndLeasedAsTheyAre", batchEnqueueHeld},
		{"EnqueueMany", "NotBeforeDelaysDelivery", batchEnqueueNotBefore},
		{"EnqueueMany", "NoItemsIsNoOp", batchEnqueueNone},
		{"EnqueueMany", "EmptyIDFailsWholeCall", batchEnqueueEmptyID},
		{"DequeueMany", "AtMostMaxOldestFirst", batchDequeueAtMostMax},
		{"DequeueMany", "RejectsMaxBelowOne", batchDequeueRejectsZero},
		{"DequeueMany", "BlocksUntilEnqueue", s.blocksUntilEnqueue},
		{"DequeueMany", "HonoursCancel", s.honoursCancel},
		{"DequeueMany", "HonoursDeadline", batchDequeueDeadline},
		{"DequeueMany", "LeasesAreIndependent", batchDequeueIndependent},
		{"DequeueMany", "RedeliversExpiredLeases", batchDequeueRedelivers},
		{"DequeueMany", "MarksEachRedelivery", batchDequeueMarksEachRedelivery},
		{"DequeueMany", "ConcurrentConsumersGetEachIDOnce", s.concurrent},
		{"AckMany", "MixOfHeldAndLost", batchAckMix},
		{"AckMany", "SecondAckIsLost", batchAckTwice},
		{"Priority", "DequeueManyHighestFirstFIFOWithin", batchDequeueByPriority},
		{"Priority", "HigherPriorityOvertakesEarlierBatch", batchDequeueHighestFirst},
		{"Priority", "DelayedBecomeReadyInPriorityOrder", batchDelayedByPriority},
	})
}

// batchSuite holds the cases that need the adapter's options.
type batchSuite struct{ queueSuite }

func newIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = NewID()
	}
	return ids
}

// enqueueMany enqueues ids for now, in one call.
func enqueueMany(t *testing.T, q BatchingQueue, ids ...string) {
	t.Helper()
	items := make([]domain.QueueItem, len(ids))
	for i, id := range ids {
		items[i] = domain.QueueItem{TaskID: id}
	}
	require.NoError(t, q.EnqueueMany(t.Context(), items), "EnqueueMany")
}

// dequeueMany waits (up to the generous deadline) for one batch of at most limit leases.
func dequeueMany(t *testing.T, q BatchingQueue, limit int, d time.Duration) []domain.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	leases, err := q.DequeueMany(ctx, limit, d)
	require.NoError(t, err, "DequeueMany")
	requireBatch(t, leases, limit)
	return leases
}

// requireBatch checks the shape every DequeueMany answer must have.
func requireBatch(t *testing.T, leases []domain.Lease, limit int) {
	t.Helper()
	require.NotEmpty(t, leases, "DequeueMany returned no lease and no error")
	require.LessOrEqual(t, len(leases), limit, "DequeueMany returned more than max")
	for _, l := range leases {
		require.NotEmpty(t, l.Token, "lease token of %s", l.TaskID)
	}
}

// collect takes batches until it holds n leases.
func collect(t *testing.T, q BatchingQueue, n int, d time.Duration) []domain.Lease {
	t.Helper()
	var got []domain.Lease
	for len(got) < n {
		got = append(got, dequeueMany(t, q, n-len(got), d)...)
	}
	return got
}

func leasedIDs(leases []domain.Lease) []string {
	ids := make([]string, len(leases))
	for i, l := range leases {
		ids[i] = l.TaskID
	}
	return ids
}

func batchEnqueueOrder(t *testing.T, q BatchingQueue) {
	first, second := newIDs(5), newIDs(5)
	enqueueMany(t, q, first...)
	single := NewID()
	enqueue(t, q, single, time.Time{})
	enqueueMany(t, q, second...)
	want := slices.Concat(first, []string{single}, second)
	got := make([]string, len(want))
	for i := range got {
		got[i] = dequeue(t, q, longLease).TaskID
	}
	require.Equal(t, want, got)
}

func batchEnqueueDuplicates(t *testing.T, q BatchingQueue) {
	a, b, c := NewID(), NewID(), NewID()
	enqueueMany(t, q, a, b, a, a, c, b)
	requireDepth(t, q, 3)
	require.Equal(t, []string{a, b, c}, leasedIDs(dequeueMany(t, q, 10, longLease)))
	requireNothingFor(t, q, 300*time.Millisecond)
}

func batchEnqueueHeld(t *testing.T, q BatchingQueue) {
	leased, waiting, fresh := NewID(), NewID(), NewID()
	enqueue(t, q, leased, time.Time{})
	l := dequeue(t, q, longLease)
	enqueue(t, q, waiting, time.Now().Add(time.Hour))

	enqueueMany(t, q, waiting, leased, fresh)
	requireDepth(t, q, 2) // waiting (still delayed) and fresh; leased stays leased
	require.Equal(t, []string{fresh}, leasedIDs(dequeueMany(t, q, 10, longLease)),
		"only the new id is deliverable: the delay and the lease were kept")
	requireNothingFor(t, q, 300*time.Millisecond)
	require.NoError(t, q.Ack(t.Context(), l), "the lease survives the duplicate enqueue")
	requireContains(t, q, waiting, true)
}

func batchEnqueueNotBefore(t *testing.T, q BatchingQueue) {
	notBefore := time.Now().Add(800 * time.Millisecond)
	r1, d1, r2, d2 := NewID(), NewID(), NewID(), NewID()
	require.NoError(t, q.EnqueueMany(t.Context(), []domain.QueueItem{
		{TaskID: r1}, {TaskID: d1, NotBefore: notBefore},
		{TaskID: r2, NotBefore: time.Now().Add(-time.Hour)}, {TaskID: d2, NotBefore: notBefore},
	}))
	requireDepth(t, q, 4)
	require.Equal(t, []string{r1, r2}, leasedIDs(dequeueMany(t, q, 10, longLease)))

	ctx, cancel := context.WithDeadline(t.Context(), notBefore.Add(-400*time.Millisecond))
	defer cancel()
	leases, err := q.DequeueMany(ctx, 10, longLease)
	require.ErrorIs(t, err, context.DeadlineExceeded, "delivered before NotBefore: %+v", leases)

	// Already blocked when NotBefore passes: the queue must wake it.
	got := collect(t, q, 2, longLease)
	require.False(t, time.Now().Before(notBefore.Add(-clockSlack)), "delivered %s before NotBefore", time.Until(notBefore))
	require.ElementsMatch(t, []string{d1, d2}, leasedIDs(got))
}

func batchEnqueueNone(t *testing.T, q BatchingQueue) {
	require.NoError(t, q.EnqueueMany(t.Context(), nil))
	requireDepth(t, q, 0)
	lost, err := q.AckMany(t.Context(), nil)
	require.NoError(t, err)
	require.Empty(t, lost)
}

func batchEnqueueEmptyID(t *testing.T, q BatchingQueue) {
	id := NewID()
	require.Error(t, q.EnqueueMany(t.Context(), []domain.QueueItem{{TaskID: id}, {TaskID: ""}}))
	requireDepth(t, q, 0)
	requireContains(t, q, id, false)
}

func batchAckMix(t *testing.T, q BatchingQueue) {
	ctx := t.Context()
	stale, current := expireAndRedeliver(t, q, NewID())
	a, b, c := NewID(), NewID(), NewID()
	enqueueMany(t, q, a, b, c)
	held := dequeueMany(t, q, 3, longLease)
	require.Equal(t, []string{a, b, c}, leasedIDs(held))

	forged := domain.Lease{TaskID: c, Token: "forged"}
	never := domain.Lease{TaskID: NewID(), Token: held[0].Token}
	lost, err := q.AckMany(ctx, []domain.Lease{held[0], stale, held[1], forged, never, held[0]})
	require.NoError(t, err)
	require.Equal(t, []domain.Lease{stale, forged, never, held[0]}, lost,
		"lost in the order given: the expired delivery, the forged token, the id never leased, the repeat")

	requireContains(t, q, a, false)
	requireContains(t, q, b, false)
	require.NoError(t, q.Ack(ctx, held[2]), "a forged token does not ack the id")
	require.NoError(t, q.Ack(ctx, current), "a stale token does not ack the redelivered id")
	requireDepth(t, q, 0)
}

func batchAckTwice(t *testing.T, q BatchingQueue) {
	ids := newIDs(4)
	enqueueMany(t, q, ids...)
	leases := dequeueMany(t, q, 4, longLease)
	require.Len(t, leases, 4)
	lost, err := q.AckMany(t.Context(), leases)
	require.NoError(t, err)
	require.Empty(t, lost)
	for _, id := range ids {
		requireContains(t, q, id, false)
	}
	lost, err = q.AckMany(t.Context(), leases)
	require.NoError(t, err)
	require.Equal(t, leases, lost)
	requireNothingFor(t, q, 300*time.Millisecond)
}
