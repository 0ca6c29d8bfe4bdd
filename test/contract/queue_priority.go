package contract

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Priorities: a delivery takes the ready id of the highest priority (1 before 4), and
// within a priority the oldest; an id keeps its priority through a delay, a release and
// an expired lease.

// prioritized is one id to enqueue at a priority (0: the default).
type prioritized struct {
	id       string
	priority int
}

func enqueueAt(t *testing.T, q ports.Queue, id string, priority int, notBefore time.Time) {
	t.Helper()
	require.NoError(t, q.Enqueue(t.Context(), domain.QueueItem{TaskID: id, NotBefore: notBefore, Priority: priority}))
}

// byPriority is the order a queue must deliver items that are all ready: by priority,
// then in the order given.
func byPriority(items []prioritized) []string {
	var out []string
	for p := domain.MinPriority; p <= domain.MaxPriority; p++ {
		for _, it := range items {
			if (domain.QueueItem{Priority: it.priority}).QueuePriority() == p {
				out = append(out, it.id)
			}
		}
	}
	return out
}

func mixedPriorities() []prioritized {
	var items []prioritized
	for _, p := range []int{4, 3, 0, 1, 2, 4, 1, 3, 2, 1, 0} {
		items = append(items, prioritized{NewID(), p})
	}
	return items
}

func queuePriorityOrder(t *testing.T, q ports.Queue) {
	items := mixedPriorities()
	for _, it := range items {
		enqueueAt(t, q, it.id, it.priority, time.Time{})
	}
	requireDepth(t, q, int64(len(items)))
	var got []string
	for range items {
		got = append(got, dequeue(t, q, longLease).TaskID)
	}
	require.Equal(t, byPriority(items), got, "highest priority first, oldest first within one")
	requireDepth(t, q, 0)
	requireNothingFor(t, q, 300*time.Millisecond)
}

// Ids that fall due while nothing is taken are delivered by priority, not by due time.
func queueDelayedByPriority(t *testing.T, q ports.Queue) {
	start := time.Now()
	low := prioritized{NewID(), 4}
	mid := prioritized{NewID(), 2}
	high := prioritized{NewID(), 1}
	enqueueAt(t, q, low.id, low.priority, start.Add(100*time.Millisecond))
	enqueueAt(t, q, mid.id, mid.priority, start.Add(200*time.Millisecond))
	enqueueAt(t, q, high.id, high.priority, start.Add(300*time.Millisecond))
	requireDepth(t, q, 3)
	last := start.Add(300*time.Millisecond + clockSlack)
	eventually(t, wait, func() bool { return time.Now().After(last) }, "the last due time did not pass")
	var got []string
	for range 3 {
		got = append(got, dequeue(t, q, longLease).TaskID)
	}
	require.Equal(t, []string{high.id, mid.id, low.id}, got)
}

// A released id goes back into its own priority, not the default one: behind an id of
// higher priority, ahead of one of lower.
func queueReleaseKeepsPriority(t *testing.T, q ports.Queue) {
	first, high, low := NewID(), NewID(), NewID()
	enqueueAt(t, q, first, 3, time.Time{})
	l := dequeue(t, q, longLease)
	require.Equal(t, first, l.TaskID)
	enqueueAt(t, q, low, 4, time.Time{})
	enqueueAt(t, q, high, 2, time.Time{})
	require.NoError(t, q.Release(t.Context(), l, time.Time{}))
	var got []string
	for range 3 {
		got = append(got, dequeue(t, q, longLease).TaskID)
	}
	require.Equal(t, []string{high, first, low}, got)
}

// An expired lease returns its id to its priority.
func queueExpiryKeepsPriority(t *testing.T, q ports.Queue) {
	id, low := NewID(), NewID()
	enqueueAt(t, q, id, 1, time.Time{})
	l := dequeue(t, q, shortLease)
	require.Equal(t, id, l.TaskID)
	expires := time.Now().Add(shortLease + clockSlack)
	enqueueAt(t, q, low, 4, time.Time{})
	eventually(t, wait, func() bool { return time.Now().After(expires) }, "the lease's expiry did not pass")
	require.Equal(t, id, dequeue(t, q, longLease).TaskID, "the expired id, priority 1, before the priority 4 one")
	require.Equal(t, low, dequeue(t, q, longLease).TaskID)
}

// A blocked consumer is woken by an id of any priority, and nothing but ids is counted.
func (s queueSuite) wakesForEveryPriority(t *testing.T, q ports.Queue) {
	for _, p := range []int{1, 3, 4, 2} {
		ctx, cancel := context.WithTimeout(t.Context(), wait)
		res := dequeueAsync(t, q, ctx, longLease)
		s.waitParked(t, q, 1)
		id := NewID()
		enqueueAt(t, q, id, p, time.Time{})
		select {
		case r := <-res:
			require.NoError(t, r.err)
			require.Equal(t, id, r.lease.TaskID, "priority %d", p)
		case <-time.After(wait):
			t.Fatalf("a blocked Dequeue was not woken by an id of priority %d", p)
		}
		cancel()
		requireDepth(t, q, 0)
	}
	// An id of another priority enqueued with nobody waiting counts once.
	enqueueAt(t, q, NewID(), 4, time.Time{})
	requireDepth(t, q, 1)
}
