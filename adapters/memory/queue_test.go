package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

var epoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// dequeueAsync runs Dequeue in the background with a generous deadline.
func dequeueAsync(t *testing.T, q *memory.Queue, d time.Duration) <-chan domain.Lease {
	t.Helper()
	out := make(chan domain.Lease, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	go func() {
		defer cancel()
		l, err := q.Dequeue(ctx, d)
		if err == nil {
			out <- l
		}
		close(out)
	}()
	return out
}

// waitParked waits until n Dequeue calls are parked on q.
func waitParked(t *testing.T, q *memory.Queue, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return q.Parked() == n }, 5*time.Second, time.Millisecond,
		"%d Dequeue calls never parked", n)
}

func TestQueueFakeClockDeliversDelayedOnAdvance(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(epoch)
	q := memory.NewQueue(clock)
	id := contract.NewID()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: id, NotBefore: epoch.Add(time.Hour)}))
	res := dequeueAsync(t, q, time.Minute)
	waitParked(t, q, 1) // the clock must wake a parked consumer, not one yet to look

	clock.Advance(59 * time.Minute)
	select {
	case l := <-res:
		t.Fatalf("delivered before NotBefore: %+v", l)
	case <-time.After(50 * time.Millisecond):
	}
	clock.Advance(time.Minute) // exactly NotBefore: deliverable
	l, ok := <-res
	require.True(t, ok, "the parked Dequeue was not woken by the clock")
	require.Equal(t, id, l.TaskID)
}

func TestQueueFakeClockRedeliversOnExpiry(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(epoch)
	q := memory.NewQueue(clock)
	id := contract.NewID()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: id}))
	first, err := q.Dequeue(t.Context(), 30*time.Second)
	require.NoError(t, err)

	res := dequeueAsync(t, q, 30*time.Second)
	waitParked(t, q, 1) // the expiry must wake a parked consumer, not one yet to look
	clock.Advance(20 * time.Second)
	require.NoError(t, q.Extend(t.Context(), first, 30*time.Second)) // now expires at +50s
	clock.Advance(29 * time.Second)
	select {
	case l := <-res:
		t.Fatalf("extended lease redelivered: %+v", l)
	case <-time.After(50 * time.Millisecond):
	}
	clock.Advance(time.Second)
	second, ok := <-res
	require.True(t, ok)
	require.Equal(t, id, second.TaskID)
	require.NotEqual(t, first.Token, second.Token)
	require.ErrorIs(t, q.Ack(t.Context(), first), domain.ErrLeaseLost)
	require.NoError(t, q.Ack(t.Context(), second))
}

func TestQueueDelayedItemsInNotBeforeOrder(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(epoch)
	q := memory.NewQueue(clock)
	late, early := contract.NewID(), contract.NewID()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: late, NotBefore: epoch.Add(2 * time.Second)}))
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: early, NotBefore: epoch.Add(time.Second)}))
	clock.Advance(time.Hour)
	for _, want := range []string{early, late} {
		l, err := q.Dequeue(t.Context(), time.Minute)
		require.NoError(t, err)
		require.Equal(t, want, l.TaskID)
	}
}

func TestQueueRejectsBadArguments(t *testing.T) {
	t.Parallel()
	q := memory.NewQueue(sysclock.Clock{})
	require.Error(t, q.Enqueue(t.Context(), domain.QueueItem{}))
	_, err := q.Dequeue(t.Context(), 0)
	require.Error(t, err)
	require.NoError(t, q.Ping(t.Context()))
}

// BenchmarkQueueRoundTrip measures enqueue → dequeue → ack with parallel consumers, the
// path every task takes (the target is ~10k tasks/s end to end).
func BenchmarkQueueRoundTrip(b *testing.B) {
	q := memory.NewQueue(sysclock.Clock{})
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := contract.NewID()
			if err := q.Enqueue(ctx, domain.QueueItem{TaskID: id}); err != nil {
				b.Fatal(err)
			}
			l, err := q.Dequeue(ctx, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if err := q.Ack(ctx, l); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A parked Dequeue that is woken for an item just as its context ends must pass the
// wake-up on; otherwise the next parked consumer sleeps while the item sits ready.
func TestQueueCancelledWaiterPassesWakeUpOn(t *testing.T) {
	t.Parallel()
	q := memory.NewQueue(sysclock.Clock{})
	for range 40 {
		ctxA, cancelA := context.WithCancel(t.Context())
		doneA := make(chan struct{})
		go func() {
			defer close(doneA)
			if l, err := q.Dequeue(ctxA, time.Minute); err == nil {
				_ = q.Release(t.Context(), l, time.Time{}) // A won the race: hand it on
			}
		}()
		// A parks first, then B behind it, so the Enqueue below wakes A (the oldest waiter).
		waitParked(t, q, 1)
		resB := dequeueAsync(t, q, time.Minute)
		waitParked(t, q, 2)
		cancelA() // A is woken by the Enqueue below while its context is already done
		require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: contract.NewID()}))
		select {
		case l, ok := <-resB:
			require.True(t, ok)
			require.NoError(t, q.Ack(t.Context(), l))
		case <-time.After(2 * time.Second):
			t.Fatal("the item sat ready while a consumer was parked")
		}
		<-doneA
	}
}
