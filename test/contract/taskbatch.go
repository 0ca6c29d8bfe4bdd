package contract

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// BatchTaskStore is a task store with batch writes: the batch suite checks what the
// batches stored through the single-task reads.
type BatchTaskStore interface {
	ports.TaskStore
	ports.TaskBatchStore
}

// manyStatements is more tasks than one statement of the Postgres adapter carries (1000),
// so a call is split, and must still be one atomic write with one order of results.
const manyStatements = 2500

// TaskBatchStore is the contract of ports.TaskBatchStore. The store may be shared with
// other tests.
func TaskBatchStore(t *testing.T, newStore func(t *testing.T) BatchTaskStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[BatchTaskStore]{
		{"CreateMany", "StoresEveryFieldInOrder", batchCreateInOrder},
		{"CreateMany", "IdempotencyKeyOfAStoredTask", batchCreateKeyStored},
		{"CreateMany", "IdempotencyKeyWithinTheBatch", batchCreateKeyWithin},
		{"CreateMany", "IdempotencyKeysUnderConcurrency", batchCreateKeysConcurrent},
		{"CreateMany", "ErrorStoresNothing", batchCreateErrorStoresNothing},
		{"CreateMany", "StoresAndReturnsCopies", batchCreateCopies},
		{"CreateMany", "ManyStatements", batchCreateMany},
		{"CreateMany", "Empty", batchCreateEmpty},
		{"UpdateMany", "AppliesInOrder", batchUpdateApplies},
		{"UpdateMany", "StoresEveryField", batchUpdateFull},
		{"UpdateMany", "ApplyErrorLeavesOnlyThatTaskUnchanged", batchUpdateApplyError},
		{"UpdateMany", "UnknownIsNotFound", batchUpdateUnknown},
		{"UpdateMany", "RepeatedIDStoresNothing", batchUpdateRepeatedID},
		{"UpdateMany", "OneTransitionWinsARace", batchUpdateRace},
		{"UpdateMany", "OverlappingBatchesLoseNoUpdates", batchUpdateNoLostUpdates},
		{"UpdateMany", "ManyStatements", batchUpdateMany},
		{"UpdateMany", "Empty", batchUpdateEmpty},
		{"UpdateMany", "StartHintWritesWhatApplyWould", batchHintStart},
		{"UpdateMany", "SeenHintWritesWhatApplyWouldOnTheStoredRow", batchHintSeen},
		{"UpdateMany", "LateStartWritesStartAndOutcomeOnTheVersionRead", batchLateStart},
		{"GetMany", "ReadsWhatGetReads", batchGetMany},
	})
}

func createMany(t *testing.T, s BatchTaskStore, tasks []domain.Task) []domain.CreateResult {
	t.Helper()
	results, err := s.CreateMany(t.Context(), tasks)
	require.NoError(t, err, "CreateMany")
	require.Len(t, results, len(tasks), "one result per task")
	return results
}

func updateMany(t *testing.T, s BatchTaskStore, changes []domain.TaskChange) []domain.ChangeResult {
	t.Helper()
	results, err := s.UpdateMany(t.Context(), changes)
	require.NoError(t, err, "UpdateMany")
	require.Len(t, results, len(changes), "one result per change")
	return results
}

func requireNotStored(t *testing.T, s BatchTaskStore, id, why string) {
	t.Helper()
	_, err := s.Get(t.Context(), id)
	require.ErrorIs(t, err, domain.ErrNotFound, why)
}

// createQueued stores n queued tasks in one batch and returns them as stored.
func createQueued(t *testing.T, s BatchTaskStore, n int) []domain.Task {
	t.Helper()
	tasks := make([]domain.Task, n)
	for i := range tasks {
		tasks[i] = NewTask()
	}
	for i, r := range createMany(t, s, tasks) {
		tasks[i] = r.Task
	}
	return tasks
}
