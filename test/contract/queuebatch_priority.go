package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// DequeueMany by priority: a batch takes the highest-priority ready ids first, oldest
// first within a priority, and EnqueueMany keeps each item's priority and delay.

func batchEnqueuePriorities(t *testing.T, q BatchingQueue, items []prioritized, notBefore time.Time) {
	t.Helper()
	batch := make([]domain.QueueItem, len(items))
	for i, it := range items {
		batch[i] = domain.QueueItem{TaskID: it.id, Priority: it.priority, NotBefore: notBefore}
	}
	require.NoError(t, q.EnqueueMany(t.Context(), batch), "EnqueueMany")
}

func batchDequeueByPriority(t *testing.T, q BatchingQueue) {
	items := mixedPriorities()
	batchEnqueuePriorities(t, q, items, time.Time{})
	requireDepth(t, q, int64(len(items)))
	var got []string
	for len(got) < len(items) {
		for _, l := range dequeueMany(t, q, 4, longLease) {
			got = append(got, l.TaskID)
		}
	}
	require.Equal(t, byPriority(items), got, "highest priority first, oldest first within one")
	requireDepth(t, q, 0)
}

// A batch never takes a lower-priority id while a higher one is ready, even across
// EnqueueMany calls.
func batchDequeueHighestFirst(t *testing.T, q BatchingQueue) {
	low := []prioritized{{NewID(), 4}, {NewID(), 4}, {NewID(), 4}}
	batchEnqueuePriorities(t, q, low, time.Time{})
	high := []prioritized{{NewID(), 1}, {NewID(), 1}}
	batchEnqueuePriorities(t, q, high, time.Time{})
	got := dequeueMany(t, q, 3, longLease)
	require.Equal(t, []string{high[0].id, high[1].id, low[0].id}, leaseIDs(got))
}

func batchDelayedByPriority(t *testing.T, q BatchingQueue) {
	start := time.Now()
	var items []prioritized
	var want []string
	for i, p := range []int{4, 3, 2, 1} { // falls due lowest first
		it := prioritized{NewID(), p}
		items = append(items, it)
		want = append([]string{it.id}, want...)
		batchEnqueuePriorities(t, q, []prioritized{it}, start.Add(time.Duration(i+1)*80*time.Millisecond))
	}
	last := start.Add(4*80*time.Millisecond + clockSlack)
	eventually(t, wait, func() bool { return time.Now().After(last) }, "the last due time did not pass")
	got := dequeueMany(t, q, len(items), longLease)
	require.Equal(t, want, leaseIDs(got), "delivered by priority, not by due time")
}

func leaseIDs(leases []domain.Lease) []string {
	ids := make([]string, len(leases))
	for i, l := range leases {
		ids[i] = l.TaskID
	}
	return ids
}
