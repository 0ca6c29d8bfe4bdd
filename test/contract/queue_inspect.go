package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

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
