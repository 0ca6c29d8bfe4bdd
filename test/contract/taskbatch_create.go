package contract

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

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
