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
)

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
