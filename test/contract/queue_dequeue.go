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
	require.False(t, first.Redelivered, "the first delivery is no redelivery")
	require.True(t, second.Redelivered, "a delivery after a lapsed lease says so")
	require.GreaterOrEqual(t, time.Since(leasedAt), shortLease-clockSlack, "redelivered before the lease expired")
	return first, second
}

// A lapse marks the id's deliveries as redeliveries until it is acked: a release (a
// hand-back, a retry) keeps the mark; an ack ends it, so the same id enqueued afresh is a
// first delivery again.
func queueRedeliveryMarkLastsUntilAck(t *testing.T, q ports.Queue) {
	ctx := t.Context()
	id := NewID()
	_, second := expireAndRedeliver(t, q, id)
	require.NoError(t, q.Release(ctx, second, time.Time{}))
	third := dequeue(t, q, longLease)
	require.Equal(t, id, third.TaskID)
	require.True(t, third.Redelivered, "released after a lapse: still a redelivery")
	require.NoError(t, q.Ack(ctx, third))
	enqueue(t, q, id, time.Time{})
	fresh := dequeue(t, q, longLease)
	require.Equal(t, id, fresh.TaskID)
	require.False(t, fresh.Redelivered, "acked, then enqueued again: a first delivery")
	other := NewID()
	enqueue(t, q, other, time.Time{})
	require.False(t, dequeue(t, q, longLease).Redelivered, "another id is not marked")
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
	s.deliverEachOnce(t, q, deliveryRace{producers: 4, consumers: 8, perProducer: 75,
		take: func(ctx context.Context) ([]domain.Lease, error) {
			l, err := q.Dequeue(ctx, longLease)
			if err != nil {
				return nil, err
			}
			if err := q.Ack(ctx, l); err != nil && ctx.Err() == nil {
				t.Errorf("Ack %s: %v", l.TaskID, err)
			}
			return []domain.Lease{l}, nil
		},
		put: func(ctx context.Context, ids []string) {
			for _, id := range ids {
				if err := q.Enqueue(ctx, domain.QueueItem{TaskID: id}); err != nil {
					t.Errorf("Enqueue: %v", err)
				}
			}
		},
	})
}

// deliveryRace is how producers and consumers use a queue in deliverEachOnce.
type deliveryRace struct {
	producers, consumers, perProducer int
	// take dequeues and acks what one consumer's call delivers; an error ends the consumer.
	take func(ctx context.Context) ([]domain.Lease, error)
	// put enqueues one producer's ids, reporting failures with t.Errorf.
	put func(ctx context.Context, ids []string)
}

// deliverEachOnce runs producers putting their ids on q while consumers take and ack them,
// until every id has been delivered: each must be delivered exactly once, and q is empty
// after.
func (s queueSuite) deliverEachOnce(t *testing.T, q ports.Queue, r deliveryRace) {
	total := r.producers * r.perProducer
	ctx, cancel := context.WithTimeout(t.Context(), 4*wait)
	defer cancel()

	var mu sync.Mutex
	seen := map[string]int{}
	delivered := 0
	allDone := make(chan struct{})
	var wg sync.WaitGroup
	for range r.consumers {
		wg.Go(func() {
			for {
				leases, err := r.take(ctx)
				if err != nil {
					return // ctx ended: all delivered, or the test timed out
				}
				mu.Lock()
				for _, l := range leases {
					seen[l.TaskID]++
				}
				before := delivered
				delivered += len(leases)
				if before < total && delivered >= total {
					close(allDone)
				}
				mu.Unlock()
			}
		})
	}
	want := map[string]int{}
	var pwg sync.WaitGroup
	for range r.producers {
		ids := newIDs(r.perProducer)
		for _, id := range ids {
			want[id] = 1
		}
		pwg.Go(func() { r.put(ctx, ids) })
	}
	pwg.Wait()
	select {
	case <-allDone:
	case <-ctx.Done():
	}
	// Every consumer blocked again means each has recorded its last delivery and found
	// nothing left to take: a wrongly duplicated delivery would have been seen by now.
	if ctx.Err() == nil {
		s.waitParked(t, q, r.consumers)
	}
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, want, seen, "every id delivered exactly once")
	requireDepth(t, q, 0)
}
