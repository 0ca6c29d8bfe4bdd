package contract

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// listAll pages through the filter (pageSize per page), checking each page's shape, and
// returns every task seen. It stops early once past the oldest id in stopBelow, so a shared
// store with many tasks is not read to the end.
func listAll(t *testing.T, s ports.TaskStore, f domain.TaskFilter, stopBelow string) []domain.Task {
	t.Helper()
	var all []domain.Task
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10000, "List does not terminate")
		page, err := s.List(t.Context(), f)
		require.NoError(t, err, "List")
		require.LessOrEqual(t, len(page.Tasks), f.Limit, "page larger than Limit")
		for i, task := range page.Tasks {
			require.False(t, seen[task.ID], "task %s listed twice", task.ID)
			seen[task.ID] = true
			if f.After != "" {
				require.Less(t, task.ID, f.After, "task at or above the cursor")
			}
			if i > 0 {
				require.Less(t, task.ID, page.Tasks[i-1].ID, "page not ordered by id descending")
			}
			if f.Status != "" {
				require.Equal(t, f.Status, task.Status, "status filter")
			}
			if f.Type != "" {
				require.Equal(t, f.Type, task.Type, "type filter")
			}
		}
		all = append(all, page.Tasks...)
		if len(page.Tasks) < f.Limit {
			require.Empty(t, page.NextAfter, "NextAfter set on a short (last) page")
		}
		if page.NextAfter == "" {
			return all
		}
		require.NotEmpty(t, page.Tasks, "NextAfter set on an empty page")
		require.Equal(t, page.Tasks[len(page.Tasks)-1].ID, page.NextAfter, "NextAfter is the last id of the page")
		if stopBelow != "" && page.NextAfter < stopBelow {
			return all
		}
		f.After = page.NextAfter
	}
}

// ours keeps the tasks whose ids are in ids, in listed order.
func ours(tasks []domain.Task, ids []string) []string {
	var out []string
	for _, task := range tasks {
		if slices.Contains(ids, task.ID) {
			out = append(out, task.ID)
		}
	}
	return out
}

func taskListPages(t *testing.T, s ports.TaskStore) {
	typ := UniqueTaskType()
	var ids []string
	for range 23 {
		task := NewTask(WithType(typ))
		createTask(t, s, task)
		ids = append(ids, task.ID)
	}
	slices.Reverse(ids) // newest first
	for _, limit := range []int{1, 5, 7, 23, 100} {
		got := listAll(t, s, domain.TaskFilter{Type: typ, Limit: limit}, "")
		require.Equal(t, ids, ours(got, ids), "limit %d: every task once, newest first", limit)
		require.Len(t, got, len(ids), "limit %d: only tasks of the unique type", limit)
	}
	// A cursor in the middle continues right after it.
	got := listAll(t, s, domain.TaskFilter{Type: typ, Limit: 4, After: ids[10]}, "")
	require.Equal(t, ids[11:], ours(got, ids))
	// Full records come back.
	page, err := s.List(t.Context(), domain.TaskFilter{Type: typ, Limit: 1})
	require.NoError(t, err)
	require.Len(t, page.Tasks, 1)
	RequireSameTask(t, getTask(t, s, ids[0]), page.Tasks[0])
}

func taskListFilters(t *testing.T, s ports.TaskStore) {
	typeA, typeB := UniqueTaskType(), UniqueTaskType()
	var created []domain.Task
	for range 2 {
		for _, typ := range []domain.TaskType{typeA, typeB} {
			for _, st := range []domain.Status{domain.StatusQueued, domain.StatusFailed} {
				created = append(created, createTask(t, s, NewTask(WithType(typ), WithStatus(st))))
			}
		}
	}
	var all []string
	for _, task := range created {
		all = append(all, task.ID)
	}
	oldest := slices.Min(all)
	for _, f := range []domain.TaskFilter{
		{Type: typeA}, {Type: typeB},
		{Status: domain.StatusFailed}, {Status: domain.StatusQueued},
		{Type: typeA, Status: domain.StatusFailed}, {Type: typeB, Status: domain.StatusQueued},
		{Type: typeA, Status: domain.StatusSucceeded},
	} {
		var want []string
		for i := len(created) - 1; i >= 0; i-- {
			task := created[i]
			if (f.Type == "" || task.Type == f.Type) && (f.Status == "" || task.Status == f.Status) {
				want = append(want, task.ID)
			}
		}
		f.Limit = 3
		got := listAll(t, s, f, oldest)
		require.Equal(t, want, ours(got, all), "filter %+v", f)
	}
}

func taskListLimit(t *testing.T, s ports.TaskStore) {
	typ := UniqueTaskType()
	for range 3 {
		createTask(t, s, NewTask(WithType(typ)))
	}
	page, err := s.List(t.Context(), domain.TaskFilter{Type: typ, Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Tasks, 2)
	require.Equal(t, page.Tasks[1].ID, page.NextAfter, "more follow")
	page, err = s.List(t.Context(), domain.TaskFilter{Type: typ, Limit: 2, After: page.NextAfter})
	require.NoError(t, err)
	require.Len(t, page.Tasks, 1)
	require.Empty(t, page.NextAfter, "last page")
}

func taskListPastEnd(t *testing.T, s ports.TaskStore) {
	createTask(t, s, NewTask())
	page, err := s.List(t.Context(), domain.TaskFilter{Limit: 10, After: "00000000-0000-0000-0000-000000000000"})
	require.NoError(t, err)
	require.Empty(t, page.Tasks)
	require.Empty(t, page.NextAfter)
}
