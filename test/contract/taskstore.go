package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskStore is the contract of ports.TaskStore. The store may be shared with other tests.
func TaskStore(t *testing.T, newStore func(t *testing.T) ports.TaskStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[ports.TaskStore]{
		{"Create", "StoresEveryField", taskCreateFull},
		{"Create", "KeepsOptionalFieldsEmpty", taskCreateMinimal},
		{"Create", "RejectsDuplicateID", taskCreateDuplicate},
		{"Create", "IdempotencyKeyReturnsExisting", taskCreateIdempotent},
		{"Create", "IdempotencyKeyUnderConcurrency", taskCreateIdempotentConcurrent},
		{"Create", "StoresACopy", taskCreateCopies},
		{"Get", "UnknownIsNotFound", taskGetUnknown},
		{"Get", "ReturnsACopy", taskGetCopies},
		{"GetByIdempotencyKey", "FindsTheHolder", taskGetByKey},
		{"Update", "AppliesAndStores", taskUpdateApplies},
		{"Update", "StoresEveryField", taskUpdateFull},
		{"Update", "ClearsOptionalFields", taskUpdateClears},
		{"Update", "FnErrorLeavesRecordUnchanged", taskUpdateFnError},
		{"Update", "UnknownIsNotFound", taskUpdateUnknown},
		{"Update", "OneTransitionWinsARace", taskUpdateRace},
		{"Update", "LosesNoUpdates", taskUpdateNoLostUpdates},
		{"List", "PagesNewestFirst", taskListPages},
		{"List", "Filters", taskListFilters},
		{"List", "LimitBoundsPage", taskListLimit},
		{"List", "CursorPastEndIsEmpty", taskListPastEnd},
		{"ListStale", "OldestFirstBeforeCutoff", taskListStale},
		{"ListStale", "Limit", taskListStaleLimit},
		{"ListStale", "CursorPagesEveryTaskOnce", taskListStaleCursor},
		{"ListStale", "CursorBreaksTiesByID", taskListStaleTies},
		{"ListStale", "CursorPastEndIsEmpty", taskListStalePastEnd},
		{"CountByTypeStatus", "Counts", taskCount},
	})
}

func createTask(t *testing.T, s ports.TaskStore, task domain.Task) domain.Task {
	t.Helper()
	stored, created, err := s.Create(t.Context(), task)
	require.NoError(t, err, "Create")
	require.True(t, created, "Create: created")
	return stored
}

func getTask(t *testing.T, s ports.TaskStore, id string) domain.Task {
	t.Helper()
	got, err := s.Get(t.Context(), id)
	require.NoError(t, err, "Get")
	return got
}

func taskCreateFull(t *testing.T, s ports.TaskStore) {
	want := FullTask()
	stored := createTask(t, s, want)
	RequireSameTask(t, want, stored)
	RequireSameTask(t, want, getTask(t, s, want.ID))
}

func taskCreateMinimal(t *testing.T, s ports.TaskStore) {
	want := NewTask(func(t *domain.Task) { t.ClientID = "" })
	createTask(t, s, want)
	got := getTask(t, s, want.ID)
	RequireSameTask(t, want, got)
	require.Nil(t, got.Error)
	require.Empty(t, got.Result)
	require.Nil(t, got.StartedAt)
	require.Nil(t, got.FinishedAt)

	// Tasks without a key never collide on it.
	other := NewTask()
	createTask(t, s, other)
	RequireSameTask(t, other, getTask(t, s, other.ID))
}

func taskCreateDuplicate(t *testing.T, s ports.TaskStore) {
	first := NewTask()
	createTask(t, s, first)
	dup := NewTask(WithParams(`{"msg":"other"}`))
	dup.ID = first.ID
	_, _, err := s.Create(t.Context(), dup)
	require.Error(t, err, "Create with an existing id")
	RequireSameTask(t, first, getTask(t, s, first.ID))
}

func taskCreateIdempotent(t *testing.T, s ports.TaskStore) {
	key := "contract-" + randomHex(8)
	first := NewTask(WithIdempotencyKey(key))
	createTask(t, s, first)
	second := NewTask(WithIdempotencyKey(key), WithParams(`{"msg":"second"}`))
	stored, created, err := s.Create(t.Context(), second)
	require.NoError(t, err)
	require.False(t, created, "a second task with the same key is not created")
	RequireSameTask(t, first, stored)
	_, err = s.Get(t.Context(), second.ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "nothing stored under the second id")
}

func taskCreateIdempotentConcurrent(t *testing.T, s ports.TaskStore) {
	const n = 10
	key := "contract-" + randomHex(8)
	type result struct {
		stored  domain.Task
		created bool
		err     error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range results {
		task := NewTask(WithIdempotencyKey(key))
		wg.Go(func() {
			st, c, err := s.Create(t.Context(), task)
			results[i] = result{st, c, err}
		})
	}
	wg.Wait()
	created, winner := 0, ""
	for _, r := range results {
		require.NoError(t, r.err)
		if r.created {
			created++
			winner = r.stored.ID
		}
	}
	require.Equal(t, 1, created, "exactly one create with the key wins")
	for _, r := range results {
		require.Equal(t, winner, r.stored.ID, "every caller gets the winner")
	}
}

func taskCreateCopies(t *testing.T, s ports.TaskStore) {
	in := FullTask()
	want := in.Clone()
	stored := createTask(t, s, in)
	// Mutating what was passed in or returned must not reach the store.
	in.Params[2] = 'X'
	in.Error.Message = "changed"
	*in.StartedAt = in.StartedAt.Add(time.Hour)
	stored.Result[2] = 'X'
	stored.Error.Message = "changed"
	RequireSameTask(t, want, getTask(t, s, want.ID))
}

func taskGetUnknown(t *testing.T, s ports.TaskStore) {
	_, err := s.Get(t.Context(), NewID())
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func taskGetCopies(t *testing.T, s ports.TaskStore) {
	want := FullTask()
	createTask(t, s, want)
	got := getTask(t, s, want.ID)
	require.NotEmpty(t, got.Params)
	got.Params[2] = 'X'
	got.Result[2] = 'X'
	got.Error.Message = "changed"
	*got.StartedAt = got.StartedAt.Add(time.Hour)
	*got.FinishedAt = got.FinishedAt.Add(time.Hour)
	RequireSameTask(t, want, getTask(t, s, want.ID))
}

func taskUpdateApplies(t *testing.T, s ports.TaskStore) {
	task := NewTask()
	createTask(t, s, task)
	now := Now().Add(time.Second)
	updated, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		RequireSameTask(t, task, *cur) // fn sees the stored task
		return cur.Start("delivery-1", now)
	})
	require.NoError(t, err)
	want := task
	require.NoError(t, want.Start("delivery-1", now))
	require.Equal(t, "delivery-1", updated.Holder, "the holder of the running attempt is stored")
	RequireSameTask(t, want, updated)
	RequireSameTask(t, want, getTask(t, s, task.ID))
}

func taskUpdateFull(t *testing.T, s ports.TaskStore) {
	task := NewTask()
	createTask(t, s, task)
	want := FullTask(func(t *domain.Task) { t.ID = task.ID })
	given := want.Clone()
	updated, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		*cur = given
		return nil
	})
	require.NoError(t, err)
	RequireSameTask(t, want, updated)
	RequireSameTask(t, want, getTask(t, s, task.ID))
	// What fn stored must not stay shared with the caller.
	given.Params[2] = 'X'
	given.Error.Message = "changed"
	*given.FinishedAt = given.FinishedAt.Add(time.Hour)
	updated.Result[2] = 'X'
	RequireSameTask(t, want, getTask(t, s, task.ID))
}

func taskUpdateClears(t *testing.T, s ports.TaskStore) {
	task := FullTask(WithStatus(domain.StatusRunning))
	createTask(t, s, task)
	want := task
	want.Result, want.Error, want.StartedAt, want.FinishedAt = nil, nil, nil, nil
	want.CancelRequested = false
	want.Status = domain.StatusQueued
	_, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		cur.Result, cur.Error, cur.StartedAt, cur.FinishedAt = nil, nil, nil, nil
		cur.CancelRequested = false
		cur.Status = domain.StatusQueued
		return nil
	})
	require.NoError(t, err)
	RequireSameTask(t, want, getTask(t, s, task.ID))
}

var errContractRefused = errors.New("contract: fn refused")

func taskUpdateFnError(t *testing.T, s ports.TaskStore) {
	task := FullTask(WithStatus(domain.StatusRunning))
	createTask(t, s, task)
	_, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		// Change everything, then refuse: none of it may be stored.
		cur.Status = domain.StatusSucceeded
		cur.Attempts = 99
		cur.Params = json.RawMessage(`{"changed":true}`)
		cur.Error.Message = "changed in place"
		*cur.StartedAt = cur.StartedAt.Add(time.Hour)
		return errContractRefused
	})
	require.ErrorIs(t, err, errContractRefused, "fn's error is returned")
	RequireSameTask(t, task, getTask(t, s, task.ID))

	// A domain error passes through with its code intact.
	_, err = s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		cur.Status = domain.StatusSucceeded
		return cur.Start("d", Now()) // illegal from succeeded
	})
	require.ErrorIs(t, err, domain.ErrConflict)
	require.Equal(t, domain.CodeTaskAlreadyFinished, domain.CodeOf(err))
	RequireSameTask(t, task, getTask(t, s, task.ID))
}

func taskUpdateUnknown(t *testing.T, s ports.TaskStore) {
	called := false
	_, err := s.Update(t.Context(), NewID(), func(*domain.Task) error { called = true; return nil })
	require.ErrorIs(t, err, domain.ErrNotFound)
	require.False(t, called, "fn is not called for a missing task")
}

func taskUpdateRace(t *testing.T, s ports.TaskStore) {
	const n = 20
	task := NewTask()
	createTask(t, s, task)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
				// Only a queued task may be claimed: the conditional transition of DESIGN.md.
				if cur.Status != domain.StatusQueued {
					return fmt.Errorf("already %s: %w", cur.Status, domain.ErrConflict)
				}
				return cur.Start("d", Now())
			})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		require.ErrorIs(t, err, domain.ErrConflict)
	}
	require.Equal(t, 1, wins, "exactly one racer moves the task out of queued")
	got := getTask(t, s, task.ID)
	require.Equal(t, domain.StatusRunning, got.Status)
	require.Equal(t, 1, got.Attempts)
}

func taskUpdateNoLostUpdates(t *testing.T, s ports.TaskStore) {
	const n = 20
	task := NewTask()
	createTask(t, s, task)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
				cur.Attempts++
				return nil
			})
			if err != nil {
				t.Errorf("Update: %v", err)
			}
		})
	}
	wg.Wait()
	require.Equal(t, n, getTask(t, s, task.ID).Attempts, "every increment is kept")
}

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

func taskCount(t *testing.T, s ports.TaskStore) {
	typeA, typeB := UniqueTaskType(), UniqueTaskType()
	plan := []struct {
		typ domain.TaskType
		st  domain.Status
		n   int
	}{
		{typeA, domain.StatusQueued, 3},
		{typeA, domain.StatusRunning, 2},
		{typeB, domain.StatusSucceeded, 1},
	}
	var first domain.Task
	for _, p := range plan {
		for range p.n {
			task := createTask(t, s, NewTask(WithType(p.typ), WithStatus(p.st)))
			if first.ID == "" {
				first = task
			}
		}
	}
	counts, err := s.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.Equal(t, map[domain.Status]int64{domain.StatusQueued: 3, domain.StatusRunning: 2}, nonZero(counts[typeA]))
	require.Equal(t, map[domain.Status]int64{domain.StatusSucceeded: 1}, nonZero(counts[typeB]))

	// Counts follow updates.
	_, err = s.Update(t.Context(), first.ID, func(cur *domain.Task) error { return cur.Start("d", Now()) })
	require.NoError(t, err)
	counts, err = s.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.Equal(t, map[domain.Status]int64{domain.StatusQueued: 2, domain.StatusRunning: 3}, nonZero(counts[typeA]))
}

// nonZero drops zero counts: adapters may or may not report them.
func nonZero(m map[domain.Status]int64) map[domain.Status]int64 {
	out := map[domain.Status]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
