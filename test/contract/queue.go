package contract

import (
	"context"
	"sync"
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

func queueFIFO(t *testing.T, q ports.Queue) {
	want := make([]string, 20)
	for i := range want {
		want[i] = NewID()
		enqueue(t, q, want[i], time.Time{})
	}
	got := make([]string, len(want))
	for i := range got {
		got[i] = dequeue(t, q, longLease).TaskID
	}
	require.Equal(t, want, got)
}

func queueIdempotentWaiting(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	enqueue(t, q, id, time.Time{})
	requireDepth(t, q, 1)
	require.Equal(t, id, dequeue(t, q, longLease).TaskID)
	requireNothingFor(t, q, 300*time.Millisecond)
}

func queueNoOpWhileLeased(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	l := dequeue(t, q, longLease)
	enqueue(t, q, id, time.Time{})
	requireDepth(t, q, 0)
	requireContains(t, q, id, true)
	requireNothingFor(t, q, 300*time.Millisecond)

	require.NoError(t, q.Ack(t.Context(), l), "the lease survives the duplicate enqueue")
	requireContains(t, q, id, false)
	enqueue(t, q, id, time.Time{})
	requireDepth(t, q, 1)
	require.Equal(t, id, dequeue(t, q, longLease).TaskID, "an acked id may be enqueued again")
}

func queueKeepsDelay(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Now().Add(time.Hour))
	enqueue(t, q, id, time.Time{}) // already waiting: left as it is
	requireDepth(t, q, 1)
	requireNothingFor(t, q, 300*time.Millisecond)
}

func queueNotBefore(t *testing.T, q ports.Queue) {
	id := NewID()
	notBefore := time.Now().Add(800 * time.Millisecond)
	enqueue(t, q, id, notBefore)
	requireDepth(t, q, 1)
	requireContains(t, q, id, true)

	ctx, cancel := context.WithDeadline(t.Context(), notBefore.Add(-400*time.Millisecond))
	defer cancel()
	_, err := q.Dequeue(ctx, longLease)
	require.ErrorIs(t, err, context.DeadlineExceeded, "delivered before NotBefore")

	// This Dequeue is already blocked when NotBefore passes: the queue must wake it.
	l := dequeue(t, q, longLease)
	require.Equal(t, id, l.TaskID)
	require.False(t, time.Now().Before(notBefore.Add(-clockSlack)), "delivered %s before NotBefore", time.Until(notBefore))
}

func queuePastNotBefore(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Now().Add(-time.Hour))
	require.Equal(t, id, dequeue(t, q, longLease).TaskID)
}

func queueDelayedDoesNotBlock(t *testing.T, q ports.Queue) {
	later, now := NewID(), NewID()
	enqueue(t, q, later, time.Now().Add(time.Hour))
	enqueue(t, q, now, time.Time{})
	require.Equal(t, now, dequeue(t, q, longLease).TaskID)
	requireDepth(t, q, 1)
}

// dequeueAsync starts a Dequeue with the generous deadline and returns where its result lands.
func dequeueAsync(t *testing.T, q ports.Queue, ctx context.Context, d time.Duration) <-chan dequeued {
	out := make(chan dequeued, 1)
	go func() {
		l, err := q.Dequeue(ctx, d)
		out <- dequeued{l, err}
	}()
	return out
}

type dequeued struct {
	lease domain.Lease
	err   error
}

func (s queueSuite) blocksUntilEnqueue(t *testing.T, q ports.Queue) {
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	res := dequeueAsync(t, q, ctx, longLease)
	s.waitParked(t, q, 1)
	select {
	case r := <-res:
		t.Fatalf("Dequeue returned on an empty queue: %+v", r)
	case <-time.After(200 * time.Millisecond):
	}
	id := NewID()
	enqueue(t, q, id, time.Time{})
	select {
	case r := <-res:
		require.NoError(t, r.err)
		require.Equal(t, id, r.lease.TaskID)
	case <-time.After(wait):
		t.Fatal("blocked Dequeue was not woken by Enqueue")
	}
}

func (s queueSuite) honoursCancel(t *testing.T, q ports.Queue) {
	ctx, cancel := context.WithCancel(t.Context())
	res := dequeueAsync(t, q, ctx, longLease)
	// Cancel a Dequeue that is blocked: one cancelled before it blocks would return at its
	// first context check and prove nothing about waking a blocked call.
	s.waitParked(t, q, 1)
	cancel()
	select {
	case r := <-res:
		require.ErrorIs(t, r.err, context.Canceled)
	case <-time.After(wait):
		t.Fatal("Dequeue did not return after its context was cancelled")
	}
	// The abandoned Dequeue must not have swallowed anything.
	id := NewID()
	enqueue(t, q, id, time.Time{})
	require.Equal(t, id, dequeue(t, q, longLease).TaskID)
}

func queueHonoursDeadline(t *testing.T, q ports.Queue) {
	start := time.Now()
	requireNothingFor(t, q, 200*time.Millisecond)
	require.Less(t, time.Since(start), wait, "Dequeue overran its deadline")
}

func (s queueSuite) wakesAll(t *testing.T, q ports.Queue) {
	const n = 6
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	results := make([]<-chan dequeued, n)
	for i := range results {
		results[i] = dequeueAsync(t, q, ctx, longLease)
	}
	s.waitParked(t, q, n) // all blocked before the first id arrives: each must be woken
	want := map[string]bool{}
	for range n {
		id := NewID()
		want[id] = true
		enqueue(t, q, id, time.Time{})
	}
	got := map[string]bool{}
	for _, res := range results {
		r := <-res
		require.NoError(t, r.err, "a blocked consumer was not woken")
		require.False(t, got[r.lease.TaskID], "id %s delivered twice", r.lease.TaskID)
		got[r.lease.TaskID] = true
	}
	require.Equal(t, want, got)
}

// expireAndRedeliver leases id for shortLease and waits for its redelivery.
func expireAndRedeliver(t *testing.T, q ports.Queue, id string) (first, second domain.Lease) {
	t.Helper()
	enqueue(t, q, id, time.Time{})
	first = dequeue(t, q, shortLease)
	leasedAt := time.Now()
	require.Equal(t, id, first.TaskID)
	// Blocked before the lease expires: the queue must wake it on expiry.
	second = dequeue(t, q, longLease)
	require.Equal(t, id, second.TaskID, "redelivered id")
	require.NotEqual(t, first.Token, second.Token, "a redelivery has a new token")
	require.GreaterOrEqual(t, time.Since(leasedAt), shortLease-clockSlack, "redelivered before the lease expired")
	return first, second
}

func queueRedelivers(t *testing.T, q ports.Queue) {
	id := NewID()
	_, second := expireAndRedeliver(t, q, id)
	requireContains(t, q, id, true)
	requireDepth(t, q, 0)
	require.NoError(t, q.Ack(t.Context(), second))
	requireContains(t, q, id, false)
}

func (s queueSuite) concurrent(t *testing.T, q ports.Queue) {
	const producers, consumers, perProducer = 4, 8, 75
	total := producers * perProducer
	ctx, cancel := context.WithTimeout(t.Context(), 4*wait)
	defer cancel()

	var mu sync.Mutex
	seen := map[string]int{}
	delivered := 0
	allDone := make(chan struct{})
	var wg sync.WaitGroup
	for range consumers {
		wg.Go(func() {
			for {
				l, err := q.Dequeue(ctx, longLease)
				if err != nil {
					return // ctx ended: all delivered, or the test timed out
				}
				if err := q.Ack(ctx, l); err != nil && ctx.Err() == nil {
					t.Errorf("Ack %s: %v", l.TaskID, err)
				}
				mu.Lock()
				seen[l.TaskID]++
				delivered++
				if delivered == total {
					close(allDone)
				}
				mu.Unlock()
			}
		})
	}
	want := map[string]int{}
	var pwg sync.WaitGroup
	for range producers {
		batch := make([]string, perProducer)
		for i := range batch {
			batch[i] = NewID()
			want[batch[i]] = 1
		}
		pwg.Go(func() {
			for _, id := range batch {
				if err := q.Enqueue(ctx, domain.QueueItem{TaskID: id}); err != nil {
					t.Errorf("Enqueue: %v", err)
				}
			}
		})
	}
	pwg.Wait()
	select {
	case <-allDone:
	case <-ctx.Done():
	}
	// Every consumer blocked again means each has recorded its last delivery and found
	// nothing left to take: a wrongly duplicated delivery would have been seen by now.
	if ctx.Err() == nil {
		s.waitParked(t, q, consumers)
	}
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, want, seen, "every id delivered exactly once")
	requireDepth(t, q, 0)
}

func queueExtendKeeps(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	l := dequeue(t, q, shortLease)

	// Heartbeat for several lease lengths while another consumer waits.
	ctx, cancel := context.WithTimeout(t.Context(), 4*shortLease)
	defer cancel()
	res := dequeueAsync(t, q, ctx, longLease)
	tick := time.NewTicker(shortLease / 4)
	defer tick.Stop()
	for heartbeating := true; heartbeating; {
		select {
		case <-tick.C:
			require.NoError(t, q.Extend(t.Context(), l, shortLease), "Extend")
		case r := <-res:
			require.ErrorIs(t, r.err, context.DeadlineExceeded, "an extended lease was redelivered: %+v", r.lease)
			heartbeating = false
		}
	}
	require.NoError(t, q.Extend(t.Context(), l, shortLease))
	require.NoError(t, q.Ack(t.Context(), l), "the extended lease is still held")
}

func queueExtendStale(t *testing.T, q ports.Queue) {
	ctx := t.Context()
	first, second := expireAndRedeliver(t, q, NewID())
	requireLost(t, q.Extend(ctx, first, longLease), "Extend with the expired delivery's token")
	require.NoError(t, q.Extend(ctx, second, longLease), "Extend with the current token")
	requireLost(t, q.Extend(ctx, domain.Lease{TaskID: second.TaskID, Token: "forged"}, longLease), "Extend with a forged token")
	requireLost(t, q.Extend(ctx, domain.Lease{TaskID: NewID(), Token: second.Token}, longLease), "Extend of an id never leased")
	require.NoError(t, q.Ack(ctx, second))
	requireLost(t, q.Extend(ctx, second, longLease), "Extend after Ack")
}

func queueAckRemoves(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	l := dequeue(t, q, shortLease)
	require.NoError(t, q.Ack(t.Context(), l))
	requireContains(t, q, id, false)
	requireDepth(t, q, 0)
	requireNothingFor(t, q, 2*shortLease) // not redelivered when the lease would have expired
	requireLost(t, q.Ack(t.Context(), l), "second Ack")
}

func queueAckStale(t *testing.T, q ports.Queue) {
	ctx := t.Context()
	first, second := expireAndRedeliver(t, q, NewID())
	requireLost(t, q.Ack(ctx, first), "Ack with the expired delivery's token")
	requireContains(t, q, second.TaskID, true)
	requireLost(t, q.Ack(ctx, domain.Lease{TaskID: second.TaskID, Token: "forged"}), "Ack with a forged token")
	requireLost(t, q.Ack(ctx, domain.Lease{TaskID: NewID(), Token: "x"}), "Ack of an id never leased")
	require.NoError(t, q.Ack(ctx, second))
	requireContains(t, q, second.TaskID, false)
}

func queueReleaseAvailable(t *testing.T, q ports.Queue) {
	ctx := t.Context()
	id := NewID()
	enqueue(t, q, id, time.Time{})
	first := dequeue(t, q, longLease)
	require.NoError(t, q.Release(ctx, first, time.Time{}))
	requireDepth(t, q, 1)
	requireContains(t, q, id, true)
	second := dequeue(t, q, longLease)
	require.Equal(t, id, second.TaskID)
	require.NotEqual(t, first.Token, second.Token)
	requireLost(t, q.Ack(ctx, first), "Ack with the released delivery's token")
	require.NoError(t, q.Ack(ctx, second))
}

func queueReleaseDelayed(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	l := dequeue(t, q, longLease)
	notBefore := time.Now().Add(800 * time.Millisecond)
	require.NoError(t, q.Release(t.Context(), l, notBefore))
	requireDepth(t, q, 1)
	requireContains(t, q, id, true)

	ctx, cancel := context.WithDeadline(t.Context(), notBefore.Add(-400*time.Millisecond))
	defer cancel()
	_, err := q.Dequeue(ctx, longLease)
	require.ErrorIs(t, err, context.DeadlineExceeded, "released id delivered before its NotBefore")
	again := dequeue(t, q, longLease)
	require.Equal(t, id, again.TaskID)
	require.False(t, time.Now().Before(notBefore.Add(-clockSlack)), "delivered before NotBefore")
}

func queueReleaseStale(t *testing.T, q ports.Queue) {
	ctx := t.Context()
	first, second := expireAndRedeliver(t, q, NewID())
	requireLost(t, q.Release(ctx, first, time.Time{}), "Release with the expired delivery's token")
	requireDepth(t, q, 0) // the stale Release did not put it back
	require.NoError(t, q.Release(ctx, second, time.Time{}))
	requireLost(t, q.Release(ctx, second, time.Time{}), "second Release")
	third := dequeue(t, q, longLease)
	require.NoError(t, q.Ack(ctx, third))
	requireLost(t, q.Release(ctx, third, time.Time{}), "Release after Ack")
}

func queueContains(t *testing.T, q ports.Queue) {
	ready, delayed := NewID(), NewID()
	requireContains(t, q, ready, false)
	enqueue(t, q, ready, time.Time{})
	enqueue(t, q, delayed, time.Now().Add(time.Hour))
	requireContains(t, q, ready, true)
	requireContains(t, q, delayed, true)
	l := dequeue(t, q, longLease)
	require.Equal(t, ready, l.TaskID)
	requireContains(t, q, ready, true) // leased
	require.NoError(t, q.Ack(t.Context(), l))
	requireContains(t, q, ready, false)
	requireContains(t, q, delayed, true)
}

func queueDepth(t *testing.T, q ports.Queue) {
	requireDepth(t, q, 0)
	a, b, c := NewID(), NewID(), NewID()
	enqueue(t, q, a, time.Time{})
	enqueue(t, q, b, time.Time{})
	enqueue(t, q, c, time.Now().Add(time.Hour)) // delayed ids count
	requireDepth(t, q, 3)
	l := dequeue(t, q, longLease)
	requireDepth(t, q, 2) // leased ids do not
	require.NoError(t, q.Release(t.Context(), l, time.Time{}))
	requireDepth(t, q, 3)
	l = dequeue(t, q, longLease)
	require.NoError(t, q.Ack(t.Context(), l))
	requireDepth(t, q, 2)
}
