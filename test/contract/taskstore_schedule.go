package contract

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// The scheduling fields of a task: RunAt, Priority and ParentID round-trip, and listings
// filter on the scheduled status and on the parent.

func taskScheduleFieldsRoundTrip(t *testing.T, s ports.TaskStore) {
	at := Now().Add(time.Hour)
	want := NewTask(WithRunAt(at), WithParentID(NewID()), func(t *domain.Task) { t.Priority = 1 })
	RequireSameTask(t, want, createTask(t, s, want))
	RequireSameTask(t, want, getTask(t, s, want.ID))

	// A retry moves them as the worker does: scheduled at a new time, priority kept.
	later := at.Add(time.Minute)
	stored, err := s.Update(t.Context(), want.ID, func(cur *domain.Task) error {
		cur.RunAt = &later
		cur.Priority = 4
		return nil
	})
	require.NoError(t, err)
	want.RunAt, want.Priority = &later, 4
	RequireSameTask(t, want, stored)
	RequireSameTask(t, want, getTask(t, s, want.ID))
}

func taskListScheduledAndParent(t *testing.T, s ports.TaskStore) {
	typ := UniqueTaskType()
	parent := NewID()
	scheduled := createTask(t, s, NewTask(WithType(typ), WithRunAt(Now().Add(time.Hour))))
	child1 := createTask(t, s, NewTask(WithType(typ), WithParentID(parent)))
	queued := createTask(t, s, NewTask(WithType(typ)))
	child2 := createTask(t, s, NewTask(WithType(typ), WithParentID(parent), WithRunAt(Now().Add(time.Hour))))
	all := []string{scheduled.ID, child1.ID, queued.ID, child2.ID}
	oldest := slices.Min(all)

	got := listAll(t, s, domain.TaskFilter{Type: typ, Status: domain.StatusScheduled, Limit: 1}, oldest)
	require.Equal(t, []string{child2.ID, scheduled.ID}, ours(got, all), "status=scheduled")

	got = listAll(t, s, domain.TaskFilter{ParentID: parent, Limit: 1}, "")
	require.Equal(t, []string{child2.ID, child1.ID}, ours(got, all), "parent_id")
	require.Len(t, got, 2, "only the parent's children")
	for _, task := range got {
		require.Equal(t, parent, task.ParentID)
	}

	got = listAll(t, s, domain.TaskFilter{ParentID: parent, Status: domain.StatusQueued, Limit: 5}, "")
	require.Equal(t, []string{child1.ID}, ours(got, all), "parent_id and status")

	page, err := s.List(t.Context(), domain.TaskFilter{ParentID: NewID(), Limit: 5})
	require.NoError(t, err)
	require.Empty(t, page.Tasks, "a parent without children")
}

// DuePromoter is the contract of ports.DuePromoter, on a store that is also the
// ports.TaskStore the tasks are read through. newStore must return a store no other test
// uses: a promotion touches every due task in the store.
func DuePromoter(t *testing.T, newStore func(t *testing.T) PromotingStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[PromotingStore]{
		{"PromoteDue", "QueuesOnlyDueScheduledTasks", promoteOnlyDue},
		{"PromoteDue", "EarliestFirstWithinLimit", promoteEarliestFirst},
		{"PromoteDueTasks", "ReturnsThePromotedAsStored", promoteReturnsTasks},
		{"PromoteDue", "LeavesParkedParents", promoteLeavesParked},
	})
}

// PromotingStore is a task store that promotes due tasks, as both store adapters are.
type PromotingStore interface {
	ports.TaskStore
	ports.DuePromoter
}

// epoch is the cases' "now": any fixed time works on a store of the case's own.
var epoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

func promoteOnlyDue(t *testing.T, s PromotingStore) {
	due := createTask(t, s, NewTask(WithRunAt(epoch.Add(time.Second))))
	notYet := createTask(t, s, NewTask(WithRunAt(epoch.Add(time.Hour))))
	queued := createTask(t, s, NewTask())
	at := epoch.Add(time.Minute)
	n, err := s.PromoteDue(t.Context(), at, 1000)
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the one task due by then")

	got := getTask(t, s, due.ID)
	require.Equal(t, domain.StatusQueued, got.Status)
	RequireSameTime(t, at, got.UpdatedAt, "UpdatedAt")
	requireSameTimePtr(t, due.RunAt, got.RunAt, "RunAt is kept: when it was due")
	RequireSameTask(t, notYet, getTask(t, s, notYet.ID))
	RequireSameTask(t, queued, getTask(t, s, queued.ID))

	n, err = s.PromoteDue(t.Context(), at, 1000)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left due")
}

func promoteEarliestFirst(t *testing.T, s PromotingStore) {
	base := epoch
	var tasks []domain.Task
	for _, off := range []time.Duration{3, 1, 2} {
		tasks = append(tasks, createTask(t, s, NewTask(WithRunAt(base.Add(off*time.Second)))))
	}
	n, err := s.PromoteDue(t.Context(), base.Add(time.Minute), 2)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, domain.StatusScheduled, getTask(t, s, tasks[0].ID).Status, "the latest waits for the next batch")
	require.Equal(t, domain.StatusQueued, getTask(t, s, tasks[1].ID).Status)
	require.Equal(t, domain.StatusQueued, getTask(t, s, tasks[2].ID).Status)
}

// promoteReturnsTasks checks ports.DueTaskPromoter, which both store adapters implement
// beside DuePromoter (the task-change feed uses it).
func promoteReturnsTasks(t *testing.T, s PromotingStore) {
	p, ok := s.(ports.DueTaskPromoter)
	require.True(t, ok, "the store does not implement ports.DueTaskPromoter")
	due := createTask(t, s, NewTask(WithRunAt(epoch.Add(time.Second))))
	createTask(t, s, NewTask(WithRunAt(epoch.Add(time.Hour))))
	got, err := p.PromoteDueTasks(t.Context(), epoch.Add(time.Minute), 1000)
	require.NoError(t, err)
	require.Len(t, got, 1, "only the due task")
	RequireSameTask(t, getTask(t, s, due.ID), got[0])
	got, err = p.PromoteDueTasks(t.Context(), epoch.Add(time.Minute), 1000)
	require.NoError(t, err)
	require.Empty(t, got, "nothing left due")
}

// promoteLeavesParked: a parent parked for its children (scheduled, AwaitingChildren, no
// RunAt) is due when they end, never by time; the flag round-trips through the store.
func promoteLeavesParked(t *testing.T, s PromotingStore) {
	task := createTask(t, s, NewTask())
	parked, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		if err := cur.Start("holder-1", epoch); err != nil {
			return err
		}
		return cur.AwaitChildren("holder-1", epoch)
	})
	require.NoError(t, err)
	require.True(t, parked.AwaitingChildren)
	RequireSameTask(t, parked, getTask(t, s, task.ID))

	n, err := s.PromoteDue(t.Context(), epoch.Add(time.Hour), 1000)
	require.NoError(t, err)
	require.Zero(t, n)
	got := getTask(t, s, task.ID)
	require.Equal(t, domain.StatusScheduled, got.Status)
	require.True(t, got.AwaitingChildren)

	woken, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error { return cur.WakeFromChildren(epoch) })
	require.NoError(t, err)
	require.Equal(t, domain.StatusQueued, woken.Status)
	require.False(t, getTask(t, s, task.ID).AwaitingChildren)
}
