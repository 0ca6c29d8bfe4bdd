package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

func queueExtendKeeps(t *testing.T, q ports.Queue) {
	id := NewID()
	enqueue(t, q, id, time.Time{})
	// The lease is long enough that a heartbeat every tenth of it keeps it through any
	// scheduling stall a loaded machine (or the race detector) can cause: a test of the
	// queue, not of the machine's timer latency.
	const lease = time.Second
	l := dequeue(t, q, lease)

	// Heartbeat for several lease lengths while another consumer waits.
	ctx, cancel := context.WithTimeout(t.Context(), 3*lease)
	defer cancel()
	res := dequeueAsync(t, q, ctx, longLease)
	tick := time.NewTicker(lease / 10)
	defer tick.Stop()
	for heartbeating := true; heartbeating; {
		select {
		case <-tick.C:
			require.NoError(t, q.Extend(t.Context(), l, lease), "Extend")
		case r := <-res:
			require.ErrorIs(t, r.err, context.DeadlineExceeded, "an extended lease was redelivered: %+v", r.lease)
			heartbeating = false
		}
	}
	require.NoError(t, q.Extend(t.Context(), l, lease))
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
