package contract

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

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
	want.Result, want.Error, want.StartedAt, want.FinishedAt, want.RunAt = nil, nil, nil, nil, nil
	want.CancelRequested = false
	want.ParentID = ""
	want.Status = domain.StatusQueued
	_, err := s.Update(t.Context(), task.ID, func(cur *domain.Task) error {
		cur.Result, cur.Error, cur.StartedAt, cur.FinishedAt, cur.RunAt = nil, nil, nil, nil, nil
		cur.ParentID = ""
		cur.CancelRequested = false
		cur.Status = domain.StatusQueued
		return nil
	})
	require.NoError(t, err)
	RequireSameTask(t, want, getTask(t, s, task.ID))
}

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
