package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

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

func batchCreateInOrder(t *testing.T, s BatchTaskStore) {
	running := NewTask(WithStatus(domain.StatusRunning), func(t *domain.Task) {
		t.Holder = "delivery-" + randomHex(4)
		t.Attempts = 1
		started := t.CreatedAt
		t.StartedAt = &started
	})
	want := []domain.Task{
		FullTask(),
		NewTask(func(t *domain.Task) { t.ClientID = "" }),
		running,
		FullTask(WithStatus(domain.StatusSucceeded)),
		NewTask(WithParams(`{"msg":"last"}`)),
	}
	results := createMany(t, s, want)
	for i, r := range results {
		require.True(t, r.Created, "task %d created", i)
		RequireSameTask(t, want[i], r.Task)
		RequireSameTask(t, want[i], getTask(t, s, want[i].ID))
	}
}

func batchCreateKeyStored(t *testing.T, s BatchTaskStore) {
	key := "contract-" + randomHex(8)
	holder := createTask(t, s, FullTask(WithIdempotencyKey(key)))
	fresh, taken, after := NewTask(), NewTask(WithIdempotencyKey(key), WithParams(`{"msg":"retry"}`)), NewTask()
	results := createMany(t, s, []domain.Task{fresh, taken, after})
	require.True(t, results[0].Created)
	require.False(t, results[1].Created, "a task whose key is held is not created")
	RequireSameTask(t, holder, results[1].Task)
	require.True(t, results[2].Created, "a taken key does not stop the tasks after it")
	requireNotStored(t, s, taken.ID, "nothing stored under the id of the task whose key was taken")
	RequireSameTask(t, fresh, getTask(t, s, fresh.ID))
	RequireSameTask(t, after, getTask(t, s, after.ID))
}

func batchCreateKeyWithin(t *testing.T, s BatchTaskStore) {
	key, storedKey := "contract-"+randomHex(8), "contract-"+randomHex(8)
	holder := createTask(t, s, NewTask(WithIdempotencyKey(storedKey)))
	tasks := []domain.Task{
		NewTask(WithIdempotencyKey(storedKey)), // the stored task keeps its key...
		NewTask(WithIdempotencyKey(key)),       // ...and the first of the batch wins a new one
		NewTask(),
		NewTask(WithIdempotencyKey(key), WithParams(`{"msg":"second"}`)),
		NewTask(WithIdempotencyKey(storedKey)),
		NewTask(WithIdempotencyKey(key), WithParams(`{"msg":"third"}`)),
	}
	results := createMany(t, s, tasks)
	require.True(t, results[1].Created, "the first task with a new key is created")
	require.True(t, results[2].Created, "a task without a key is created")
	RequireSameTask(t, tasks[1], results[1].Task)
	for _, i := range []int{3, 5} {
		require.False(t, results[i].Created, "task %d: a later task with the key of an earlier one", i)
		RequireSameTask(t, results[1].Task, results[i].Task)
		requireNotStored(t, s, tasks[i].ID, "a later task with a batch key is not stored")
	}
	for _, i := range []int{0, 4} {
		require.False(t, results[i].Created, "task %d: the key is held by a stored task", i)
		RequireSameTask(t, holder, results[i].Task)
		requireNotStored(t, s, tasks[i].ID, "a task with a stored key is not stored")
	}
	got, err := s.GetByIdempotencyKey(t.Context(), key)
	require.NoError(t, err)
	RequireSameTask(t, tasks[1], got)
}

// Batches sharing keys, each in its own order: per key exactly one task wins and every
// batch is told the winner. No batch may fail, however the batches' writes interleave (a
// store that takes keys in the order given deadlocks here).
func batchCreateKeysConcurrent(t *testing.T, s BatchTaskStore) {
	const rounds, batches, keys = 3, 8, 200
	for range rounds {
		keyNames := make([]string, keys)
		for i := range keyNames {
			keyNames[i] = "contract-" + randomHex(8)
		}
		all := make([][]domain.CreateResult, batches)
		var wg sync.WaitGroup
		for b := range batches {
			tasks := []domain.Task{NewTask()}
			for _, i := range rand.Perm(keys) {
				tasks = append(tasks, NewTask(WithIdempotencyKey(keyNames[i])))
			}
			wg.Go(func() {
				results, err := s.CreateMany(t.Context(), tasks)
				if err != nil {
					t.Errorf("CreateMany: %v", err)
					return
				}
				all[b] = results
			})
		}
		wg.Wait()
		require.False(t, t.Failed())
		winners := map[string]string{}
		created := map[string]int{}
		for _, results := range all {
			require.True(t, results[0].Created, "a keyless task is always created")
			for _, r := range results[1:] {
				key := r.Task.IdempotencyKey
				if w, ok := winners[key]; ok {
					require.Equal(t, w, r.Task.ID, "every batch gets the one winner of key %s", key)
				}
				winners[key] = r.Task.ID
				if r.Created {
					created[key]++
				}
			}
		}
		require.Len(t, winners, keys)
		for _, key := range keyNames {
			require.Equal(t, 1, created[key], "exactly one task created with key %s", key)
		}
	}
}

func batchCreateErrorStoresNothing(t *testing.T, s BatchTaskStore) {
	stored := createTask(t, s, NewTask())
	dup := NewTask(WithParams(`{"msg":"other"}`))
	dup.ID = stored.ID
	before, after := NewTask(WithIdempotencyKey("contract-"+randomHex(8))), NewTask()
	_, err := s.CreateMany(t.Context(), []domain.Task{before, dup, after})
	require.Error(t, err, "a task with the id of a stored task")
	requireNotStored(t, s, before.ID, "the task before the failing one is not stored")
	requireNotStored(t, s, after.ID, "the task after the failing one is not stored")
	RequireSameTask(t, stored, getTask(t, s, stored.ID))
	_, err = s.GetByIdempotencyKey(t.Context(), before.IdempotencyKey)
	require.ErrorIs(t, err, domain.ErrNotFound, "the failed batch holds no key")

	twice := NewTask()
	other := NewTask()
	again := NewTask(WithParams(`{"msg":"again"}`))
	again.ID = twice.ID
	_, err = s.CreateMany(t.Context(), []domain.Task{twice, other, again})
	require.Error(t, err, "two tasks of one batch with the same id")
	requireNotStored(t, s, twice.ID, "neither task with the repeated id is stored")
	requireNotStored(t, s, other.ID, "nothing of the failed batch is stored")
}

func batchCreateCopies(t *testing.T, s BatchTaskStore) {
	key := "contract-" + randomHex(8)
	in := []domain.Task{FullTask(WithIdempotencyKey(key)), FullTask(WithIdempotencyKey(key))}
	want := in[0].Clone()
	results := createMany(t, s, in)
	// Mutating what was passed in or returned must not reach the store or another result.
	in[0].Params[2] = 'X'
	in[0].Error.Message = "changed"
	*in[0].StartedAt = in[0].StartedAt.Add(time.Second)
	results[0].Task.Result[2] = 'X'
	results[0].Task.Error.Message = "changed"
	RequireSameTask(t, want, getTask(t, s, want.ID))
	RequireSameTask(t, want, results[1].Task)
}

func batchCreateMany(t *testing.T, s BatchTaskStore) {
	typ := UniqueTaskType()
	key := "contract-" + randomHex(8)
	tasks := make([]domain.Task, manyStatements)
	for i := range tasks {
		tasks[i] = NewTask(WithType(typ))
	}
	// The key's first task is in the first statement, the repeat in the last.
	tasks[3].IdempotencyKey, tasks[manyStatements-3].IdempotencyKey = key, key
	results := createMany(t, s, tasks)
	for i, r := range results {
		if i == manyStatements-3 {
			require.False(t, r.Created, "the repeated key in a later statement")
			RequireSameTask(t, tasks[3], r.Task)
			continue
		}
		require.True(t, r.Created, "task %d", i)
		require.Equal(t, tasks[i].ID, r.Task.ID, "result %d is task %d's", i, i)
	}
	counts, err := s.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.Equal(t, int64(manyStatements-1), counts[typ][domain.StatusQueued])
	RequireSameTask(t, tasks[manyStatements-1], getTask(t, s, tasks[manyStatements-1].ID))
}

func batchCreateEmpty(t *testing.T, s BatchTaskStore) {
	for _, tasks := range [][]domain.Task{nil, {}} {
		results, err := s.CreateMany(t.Context(), tasks)
		require.NoError(t, err)
		require.Empty(t, results)
	}
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

func batchUpdateApplies(t *testing.T, s BatchTaskStore) {
	tasks := createQueued(t, s, 3)
	now := Now().Add(time.Second)
	changes := make([]domain.TaskChange, 0, len(tasks))
	for i := len(tasks) - 1; i >= 0; i-- { // not in creation order
		task := tasks[i]
		changes = append(changes, domain.TaskChange{ID: task.ID, Apply: func(cur *domain.Task) error {
			RequireSameTask(t, task, *cur) // Apply sees the stored task
			return cur.Start(fmt.Sprintf("delivery-%d", i), now)
		}})
	}
	results := updateMany(t, s, changes)
	for j, r := range results {
		i := len(tasks) - 1 - j
		require.NoError(t, r.Err)
		want := tasks[i]
		require.NoError(t, want.Start(fmt.Sprintf("delivery-%d", i), now))
		RequireSameTask(t, want, r.Task)
		RequireSameTask(t, want, getTask(t, s, want.ID))
	}
}

func batchUpdateFull(t *testing.T, s BatchTaskStore) {
	tasks := []domain.Task{NewTask(), FullTask(WithStatus(domain.StatusRunning))}
	createMany(t, s, tasks)
	full := FullTask(func(t *domain.Task) { t.ID = tasks[0].ID })
	given := full.Clone()
	cleared := tasks[1]
	cleared.Result, cleared.Error, cleared.StartedAt, cleared.FinishedAt = nil, nil, nil, nil
	cleared.CancelRequested, cleared.Status = false, domain.StatusQueued
	results := updateMany(t, s, []domain.TaskChange{
		{ID: tasks[0].ID, Apply: func(cur *domain.Task) error { *cur = given.Clone(); return nil }},
		{ID: tasks[1].ID, Apply: func(cur *domain.Task) error {
			cur.Result, cur.Error, cur.StartedAt, cur.FinishedAt = nil, nil, nil, nil
			cur.CancelRequested, cur.Status = false, domain.StatusQueued
			return nil
		}},
	})
	for i, want := range []domain.Task{full, cleared} {
		require.NoError(t, results[i].Err)
		RequireSameTask(t, want, results[i].Task)
		RequireSameTask(t, want, getTask(t, s, want.ID))
	}
	// What is returned must not stay shared with the store.
	results[0].Task.Params[2] = 'X'
	results[0].Task.Error.Message = "changed"
	RequireSameTask(t, full, getTask(t, s, full.ID))
}

func batchUpdateApplyError(t *testing.T, s BatchTaskStore) {
	tasks := []domain.Task{NewTask(), FullTask(WithStatus(domain.StatusRunning)), NewTask(), FullTask()}
	createMany(t, s, tasks)
	start := func(cur *domain.Task) error { return cur.Start("d", Now()) }
	results := updateMany(t, s, []domain.TaskChange{
		{ID: tasks[0].ID, Apply: start},
		{ID: tasks[1].ID, Apply: func(cur *domain.Task) error {
			// Change everything, then refuse: none of it may be stored.
			cur.Status = domain.StatusSucceeded
			cur.Attempts = 99
			cur.Params = json.RawMessage(`{"changed":true}`)
			cur.Error.Message = "changed in place"
			*cur.StartedAt = cur.StartedAt.Add(time.Second)
			return errContractRefused
		}},
		{ID: tasks[2].ID, Apply: start},
		{ID: tasks[3].ID, Apply: start}, // failed: a domain error, its code intact
	})
	require.ErrorIs(t, results[1].Err, errContractRefused, "Apply's error is the result")
	RequireSameTask(t, tasks[1], getTask(t, s, tasks[1].ID))
	require.ErrorIs(t, results[3].Err, domain.ErrConflict)
	require.Equal(t, domain.CodeTaskAlreadyFinished, domain.CodeOf(results[3].Err))
	RequireSameTask(t, tasks[3], getTask(t, s, tasks[3].ID))
	for _, i := range []int{0, 2} {
		require.NoError(t, results[i].Err, "the changes around a failing one are applied")
		require.Equal(t, domain.StatusRunning, getTask(t, s, tasks[i].ID).Status)
	}
}

func batchUpdateUnknown(t *testing.T, s BatchTaskStore) {
	known := createQueued(t, s, 1)[0]
	called := 0
	counted := func(cur *domain.Task) error { called++; return cur.Start("d", Now()) }
	results := updateMany(t, s, []domain.TaskChange{
		{ID: NewID(), Apply: counted},
		{ID: known.ID, Apply: counted},
		{ID: "not-a-task-id", Apply: counted},
	})
	require.ErrorIs(t, results[0].Err, domain.ErrNotFound)
	require.ErrorIs(t, results[2].Err, domain.ErrNotFound, "an id that is not a UUID")
	require.NoError(t, results[1].Err)
	require.Equal(t, 1, called, "Apply is not called for a missing task")
	require.Equal(t, domain.StatusRunning, getTask(t, s, known.ID).Status)
}

func batchUpdateRepeatedID(t *testing.T, s BatchTaskStore) {
	tasks := createQueued(t, s, 2)
	inc := func(cur *domain.Task) error { cur.Attempts++; return nil }
	_, err := s.UpdateMany(t.Context(), []domain.TaskChange{
		{ID: tasks[0].ID, Apply: inc}, {ID: tasks[1].ID, Apply: inc}, {ID: tasks[0].ID, Apply: inc},
	})
	require.Error(t, err, "ids must be distinct")
	for _, task := range tasks {
		RequireSameTask(t, task, getTask(t, s, task.ID))
	}
}

// Batches and single updates race to start the same queued tasks, each batch listing them
// in its own order: each task is started exactly once.
func batchUpdateRace(t *testing.T, s BatchTaskStore) {
	const racers, n = 10, 5
	tasks := createQueued(t, s, n)
	startQueued := func(cur *domain.Task) error {
		if cur.Status != domain.StatusQueued {
			return fmt.Errorf("already %s: %w", cur.Status, domain.ErrConflict)
		}
		return cur.Start("d", Now())
	}
	var mu sync.Mutex
	wins := map[string]int{}
	record := func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			wins[id]++
		} else if !errors.Is(err, domain.ErrConflict) {
			t.Errorf("task %s: %v", id, err)
		}
	}
	var wg sync.WaitGroup
	for r := range racers {
		wg.Go(func() {
			if r%2 == 1 { // a single update of one task
				task := tasks[r%n]
				_, err := s.Update(t.Context(), task.ID, startQueued)
				record(task.ID, err)
				return
			}
			var changes []domain.TaskChange
			for _, i := range rand.Perm(n) {
				changes = append(changes, domain.TaskChange{ID: tasks[i].ID, Apply: startQueued})
			}
			results, err := s.UpdateMany(t.Context(), changes)
			if err != nil {
				t.Errorf("UpdateMany: %v", err)
				return
			}
			for i, res := range results {
				record(changes[i].ID, res.Err)
			}
		})
	}
	wg.Wait()
	for _, task := range tasks {
		require.Equal(t, 1, wins[task.ID], "task %s started exactly once", task.ID)
		got := getTask(t, s, task.ID)
		require.Equal(t, domain.StatusRunning, got.Status)
		require.Equal(t, 1, got.Attempts)
	}
}

// Concurrent batches over overlapping tasks, each listing them in its own order, neither
// lose an increment nor deadlock.
func batchUpdateNoLostUpdates(t *testing.T, s BatchTaskStore) {
	const batches, rounds, n = 6, 5, 8
	tasks := createQueued(t, s, n)
	var wg sync.WaitGroup
	for b := range batches {
		wg.Go(func() {
			for range rounds {
				var changes []domain.TaskChange
				for _, i := range rand.Perm(n)[:n-b%3] { // overlapping, not equal, sets
					changes = append(changes, domain.TaskChange{ID: tasks[i].ID, Apply: func(cur *domain.Task) error {
						cur.Attempts++
						return nil
					}})
				}
				results, err := s.UpdateMany(t.Context(), changes)
				if err != nil {
					t.Errorf("UpdateMany: %v", err)
					return
				}
				for _, r := range results {
					if r.Err != nil {
						t.Errorf("UpdateMany result: %v", r.Err)
					}
				}
			}
		})
	}
	wg.Wait()
	require.False(t, t.Failed())
	total := 0
	for _, task := range tasks {
		total += getTask(t, s, task.ID).Attempts
	}
	want := 0
	for b := range batches {
		want += rounds * (n - b%3)
	}
	require.Equal(t, want, total, "every increment is kept")
}

func batchUpdateMany(t *testing.T, s BatchTaskStore) {
	tasks := createQueued(t, s, manyStatements)
	changes := make([]domain.TaskChange, len(tasks))
	for i := range tasks {
		holder := fmt.Sprintf("delivery-%d", i)
		changes[i] = domain.TaskChange{ID: tasks[i].ID, Apply: func(cur *domain.Task) error {
			if i == manyStatements/2 {
				return errContractRefused
			}
			return cur.Start(holder, Now())
		}}
	}
	results := updateMany(t, s, changes)
	for i, r := range results {
		if i == manyStatements/2 {
			require.ErrorIs(t, r.Err, errContractRefused)
			continue
		}
		require.NoError(t, r.Err, "change %d", i)
		require.Equal(t, tasks[i].ID, r.Task.ID, "result %d is task %d's", i, i)
		require.Equal(t, fmt.Sprintf("delivery-%d", i), r.Task.Holder)
	}
	for _, i := range []int{0, manyStatements - 1} {
		require.Equal(t, domain.StatusRunning, getTask(t, s, tasks[i].ID).Status)
	}
	RequireSameTask(t, tasks[manyStatements/2], getTask(t, s, tasks[manyStatements/2].ID))
}

func batchUpdateEmpty(t *testing.T, s BatchTaskStore) {
	for _, changes := range [][]domain.TaskChange{nil, {}} {
		results, err := s.UpdateMany(t.Context(), changes)
		require.NoError(t, err)
		require.Empty(t, results)
	}
}
