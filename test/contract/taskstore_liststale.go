package contract

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// staleBase returns a moment in 2001 no other test picks, so tasks "updated" around it are
// the caller's own among the stale ones.
func staleBase() time.Time {
	return time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rand.IntN(365*24*60)) * time.Minute)
}

// createStale makes n queued tasks updated one second apart from base (created newest
// first, so ids do not give the answer away), plus decoys that must not be listed.
func createStale(t *testing.T, s ports.TaskStore, base time.Time, n int) (stale []domain.Task, decoys []string) {
	t.Helper()
	stale = make([]domain.Task, n)
	for i := n - 1; i >= 0; i-- {
		stale[i] = NewTask(WithUpdatedAt(base.Add(time.Duration(i) * time.Second)))
		createTask(t, s, stale[i])
	}
	cutoff := base.Add(time.Duration(n) * time.Second)
	for _, d := range []domain.Task{
		NewTask(WithStatus(domain.StatusRunning), WithUpdatedAt(base)), // other status
		NewTask(WithUpdatedAt(cutoff)),                                 // not before the cutoff
		NewTask(WithUpdatedAt(cutoff.Add(time.Second))),                // after it
	} {
		createTask(t, s, d)
		decoys = append(decoys, d.ID)
	}
	return stale, decoys
}

func taskListStale(t *testing.T, s ports.TaskStore) {
	const n = 5
	base := staleBase()
	stale, decoys := createStale(t, s, base, n)
	cutoff := base.Add(n * time.Second)
	got, err := s.ListStale(t.Context(), domain.StaleQuery{Status: domain.StatusQueued, UpdatedBefore: cutoff, Limit: 1000})
	require.NoError(t, err)
	for i, task := range got {
		require.Equal(t, domain.StatusQueued, task.Status)
		require.True(t, task.UpdatedAt.Before(cutoff), "UpdatedAt %s not before the cutoff", task.UpdatedAt)
		if i > 0 {
			require.False(t, task.UpdatedAt.Before(got[i-1].UpdatedAt), "not oldest first")
		}
		require.NotContains(t, decoys, task.ID)
	}
	var wantIDs []string
	for _, task := range stale {
		wantIDs = append(wantIDs, task.ID)
	}
	require.Equal(t, wantIDs, ours(got, wantIDs), "every stale task, oldest first")
	for _, task := range got {
		if task.ID == stale[0].ID {
			RequireSameTask(t, stale[0], task)
		}
	}
}

func taskListStaleLimit(t *testing.T, s ports.TaskStore) {
	const n = 5
	base := staleBase()
	stale, _ := createStale(t, s, base, n)
	got, err := s.ListStale(t.Context(), domain.StaleQuery{Status: domain.StatusQueued, UpdatedBefore: base.Add(n * time.Second), Limit: 2})
	require.NoError(t, err)
	require.Len(t, got, 2)
	// The two oldest overall: in an isolated store exactly ours; in a shared one, no newer.
	require.False(t, got[0].UpdatedAt.After(got[1].UpdatedAt))
	require.False(t, got[1].UpdatedAt.After(stale[1].UpdatedAt), "Limit must keep the oldest")
}

// stalePages pages through ListStale from start with the given page size until a short
// page, checking each page's bounds and that the order never goes back. It returns every
// task listed, in order.
func stalePages(t *testing.T, s ports.TaskStore, q domain.StaleQuery) []domain.Task {
	t.Helper()
	var all []domain.Task
	// A shared store holds other tests' stale tasks too, but only a bounded number.
	for range 10000 {
		page, err := s.ListStale(t.Context(), q)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), q.Limit, "page longer than Limit")
		for _, task := range page {
			require.Equal(t, q.Status, task.Status)
			require.True(t, task.UpdatedAt.Before(q.UpdatedBefore), "UpdatedAt %s not before the cutoff", task.UpdatedAt)
			require.True(t, q.After.Precedes(task), "task (%s, %s) not after the cursor (%s, %s)",
				task.UpdatedAt, task.ID, q.After.UpdatedAt, q.After.ID)
			q.After = domain.StaleCursorAt(task)
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			return all
		}
	}
	t.Fatal("ListStale pagination did not end")
	return nil
}

// staleOrder returns the ids of tasks sorted by (UpdatedAt, ID), the order ListStale pages in.
func staleOrder(tasks []domain.Task) []string {
	sorted := slices.Clone(tasks)
	slices.SortFunc(sorted, func(a, b domain.Task) int {
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	ids := make([]string, len(sorted))
	for i, task := range sorted {
		ids[i] = task.ID
	}
	return ids
}

func taskListStaleCursor(t *testing.T, s ports.TaskStore) {
	const n = 7
	base := staleBase()
	stale, decoys := createStale(t, s, base, n)
	cutoff := base.Add(n * time.Second)
	for _, limit := range []int{1, 2, 3, n, n + 1} {
		// From the zero cursor (everything stale, ours among it) and from just our range;
		// an empty cursor id still includes the tasks updated exactly at the cursor time.
		for _, after := range []domain.StaleCursor{{}, {UpdatedAt: base}} {
			got := stalePages(t, s, domain.StaleQuery{Status: domain.StatusQueued, UpdatedBefore: cutoff, Limit: limit, After: after})
			require.Equal(t, staleOrder(stale), ours(got, staleOrder(stale)), "limit %d: every stale task once, in order", limit)
			for _, task := range got {
				require.NotContains(t, decoys, task.ID)
			}
		}
	}
}

func taskListStaleTies(t *testing.T, s ports.TaskStore) {
	base := staleBase()
	// Several tasks share each UpdatedAt and are created in shuffled order, so neither
	// creation order nor time alone gives the answer: ties must go by id.
	offsets := []time.Duration{0, time.Second, time.Second, time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}
	stale := make([]domain.Task, len(offsets))
	for i, off := range offsets {
		stale[i] = NewTask(WithUpdatedAt(base.Add(off)))
	}
	for _, i := range rand.Perm(len(stale)) {
		createTask(t, s, stale[i])
	}
	want := staleOrder(stale)
	for _, limit := range []int{1, 2, 4} {
		got := stalePages(t, s, domain.StaleQuery{
			Status: domain.StatusQueued, UpdatedBefore: base.Add(4 * time.Second), Limit: limit,
			After: domain.StaleCursor{UpdatedAt: base.Add(-time.Microsecond)},
		})
		require.Equal(t, want, ours(got, want), "limit %d: ties on UpdatedAt broken by id", limit)
	}

	// A cursor in the middle of a tie resumes right after it.
	mid := getTask(t, s, want[2])
	got, err := s.ListStale(t.Context(), domain.StaleQuery{
		Status: domain.StatusQueued, UpdatedBefore: base.Add(4 * time.Second), Limit: 2, After: domain.StaleCursorAt(mid),
	})
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, want[3:5], ours(got, want), "the page after a tied task")
}

func taskListStalePastEnd(t *testing.T, s ports.TaskStore) {
	base := staleBase()
	stale, _ := createStale(t, s, base, 3)
	last := stale[len(stale)-1]
	got, err := s.ListStale(t.Context(), domain.StaleQuery{
		Status: domain.StatusQueued, UpdatedBefore: last.UpdatedAt.Add(time.Microsecond), Limit: 10, After: domain.StaleCursorAt(last),
	})
	require.NoError(t, err)
	require.Empty(t, got, "nothing stale after the last task")
}
