package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Lease lengths the queue suite uses: short, so expiry tests take a fraction of a second,
// and long, for leases that must not expire during a test.
const (
	shortLease = 300 * time.Millisecond
	longLease  = time.Minute
)

// clockSlack tolerates the adapter's clock (e.g. a Redis server's) being a little apart
// from the test's when checking that nothing was delivered early.
const clockSlack = 50 * time.Millisecond

// QueueOptions declares what the suite observes of a queue beyond the port.
type QueueOptions struct {
	// Parked returns how many Dequeue calls on q are blocked waiting for an id (required).
	// The suite waits on it before it acts on blocked consumers, so a test of "wake a
	// blocked Dequeue" or "cancel a blocked Dequeue" cannot pass by the call not having
	// blocked yet.
	Parked func(t *testing.T, q ports.Queue) int
}

// Queue is the contract of ports.Queue. newQueue must return an empty queue no other test
// uses.
func Queue(t *testing.T, newQueue func(t *testing.T) ports.Queue, opts QueueOptions) {
	t.Helper()
	if opts.Parked == nil {
		t.Fatal("contract.Queue: QueueOptions.Parked is required")
	}
	s := queueSuite{opts}
	runSuite(t, newQueue, []suiteCase[ports.Queue]{
		{"Enqueue", "DeliversFIFO", queueFIFO},
		{"Enqueue", "IdempotentWhileWaiting", queueIdempotentWaiting},
		{"Enqueue", "NoOpWhileLeased", queueNoOpWhileLeased},
		{"Enqueue", "KeepsDelayOfWaitingItem", queueKeepsDelay},
		{"Enqueue", "NotBeforeDelaysDelivery", queueNotBefore},
		{"Enqueue", "PastNotBeforeIsReady", queuePastNotBefore},
		{"Enqueue", "DelayedDoesNotBlockReady", queueDelayedDoesNotBlock},
		{"Dequeue", "BlocksUntilEnqueue", s.blocksUntilEnqueue},
		{"Dequeue", "HonoursCancel", s.honoursCancel},
		{"Dequeue", "HonoursDeadline", queueHonoursDeadline},
		{"Dequeue", "WakesEveryBlockedConsumer", s.wakesAll},
		{"Dequeue", "RedeliversAfterLeaseExpiry", queueRedelivers},
		{"Dequeue", "RedeliveryMarkLastsUntilAck", queueRedeliveryMarkLastsUntilAck},
		{"Dequeue", "ConcurrentConsumersGetEachIDOnce", s.concurrent},
		{"Extend", "KeepsLease", queueExtendKeeps},
		{"Extend", "StaleTokenIsLeaseLost", queueExtendStale},
		{"Ack", "RemovesID", queueAckRemoves},
		{"Ack", "StaleTokenIsLeaseLost", queueAckStale},
		{"Release", "MakesIDAvailable", queueReleaseAvailable},
		{"Release", "NotBeforeDelaysRedelivery", queueReleaseDelayed},
		{"Release", "StaleTokenIsLeaseLost", queueReleaseStale},
		{"Contains", "TracksLifecycle", queueContains},
		{"Depth", "CountsWaitingNotLeased", queueDepth},
		{"Priority", "HighestFirstFIFOWithin", queuePriorityOrder},
		{"Priority", "DelayedBecomeReadyInPriorityOrder", queueDelayedByPriority},
		{"Priority", "ReleaseKeepsPriority", queueReleaseKeepsPriority},
		{"Priority", "ExpiredLeaseKeepsPriority", queueExpiryKeepsPriority},
		{"Priority", "WakesBlockedConsumerForEveryPriority", s.wakesForEveryPriority},
	})
}

// queueSuite holds the cases that need the adapter's options.
type queueSuite struct{ QueueOptions }

// waitParked waits until exactly n Dequeue calls on q are blocked.
func (s queueSuite) waitParked(t *testing.T, q ports.Queue, n int) {
	t.Helper()
	eventually(t, wait, func() bool { return s.Parked(t, q) == n }, "%d Dequeue calls did not all block", n)
}

func enqueue(t *testing.T, q ports.Queue, id string, notBefore time.Time) {
	t.Helper()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: id, NotBefore: notBefore}))
}

// dequeue waits (up to the generous deadline) for a delivery.
func dequeue(t *testing.T, q ports.Queue, d time.Duration) domain.Lease {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	l, err := q.Dequeue(ctx, d)
	require.NoError(t, err, "Dequeue")
	require.NotEmpty(t, l.Token, "lease token")
	return l
}

// requireNothingFor asserts that no id is delivered within d.
func requireNothingFor(t *testing.T, q ports.Queue, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	l, err := q.Dequeue(ctx, longLease)
	require.ErrorIs(t, err, context.DeadlineExceeded, "expected no delivery, got %+v", l)
}

func requireDepth(t *testing.T, q ports.Queue, want int64) {
	t.Helper()
	n, err := q.Depth(t.Context())
	require.NoError(t, err)
	require.Equal(t, want, n, "Depth")
}

func requireContains(t *testing.T, q ports.Queue, id string, want bool) {
	t.Helper()
	ok, err := q.Contains(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, want, ok, "Contains(%s)", id)
}

func requireLost(t *testing.T, err error, op string) {
	t.Helper()
	require.ErrorIs(t, err, domain.ErrLeaseLost, op)
}
