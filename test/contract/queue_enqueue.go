package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

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
