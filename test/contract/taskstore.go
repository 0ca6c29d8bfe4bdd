package contract

import (
	"errors"
	"testing"

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
		{"Create", "StoresSchedulingFields", taskScheduleFieldsRoundTrip},
		{"List", "FiltersScheduledAndParent", taskListScheduledAndParent},
		{"List", "FiltersAnyOfStatusesAndTypes", taskListAnyOf},
		{"List", "FiltersCreatedRange", taskListCreatedRange},
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

var errContractRefused = errors.New("contract: fn refused")
