package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// GetMany reads what Get reads: each existing task once, whatever else the ids hold.
func batchGetMany(t *testing.T, s BatchTaskStore) {
	full := createMany(t, s, []domain.Task{FullTask()})[0].Task
	plain := createQueued(t, s, 1)[0]
	got, err := s.GetMany(t.Context(), []string{full.ID, NewID(), "not-a-uuid", plain.ID, full.ID})
	require.NoError(t, err)
	byID := map[string]domain.Task{}
	for _, task := range got {
		byID[task.ID] = task
	}
	require.Len(t, got, 2, "each existing task once")
	RequireSameTask(t, getTask(t, s, full.ID), byID[full.ID])
	RequireSameTask(t, getTask(t, s, plain.ID), byID[plain.ID])

	none, err := s.GetMany(t.Context(), nil)
	require.NoError(t, err)
	require.Empty(t, none)
}

// A start written late (domain.LateStart) with the outcome, over the version a worker
// read: stored as Start then the outcome would store it, only where the row is still that
// version. A task cancelled or started by another delivery meanwhile keeps its state.
func batchLateStart(t *testing.T, s BatchTaskStore) {
	tasks := createQueued(t, s, 3)
	read, err := s.GetMany(t.Context(), []string{tasks[0].ID, tasks[1].ID, tasks[2].ID})
	require.NoError(t, err)
	seen := map[string]domain.Task{}
	for _, task := range read {
		seen[task.ID] = task
	}
	began := Now().Add(time.Second)
	ended := began.Add(time.Second)
	worker := domain.WorkerID{Host: "late", PID: 7}
	// Meanwhile: task 1 is cancelled, task 2 is started by another delivery.
	_, err = s.Update(t.Context(), tasks[1].ID, func(t *domain.Task) error {
		_, err := t.Cancel(began)
		return err
	})
	require.NoError(t, err)
	_, err = s.Update(t.Context(), tasks[2].ID, func(t *domain.Task) error { return t.Start("other", began) })
	require.NoError(t, err)

	changes := make([]domain.TaskChange, len(tasks))
	for i, task := range tasks {
		ls := &domain.LateStart{Seen: seen[task.ID], Holder: "d", Worker: worker, At: began}
		changes[i] = domain.TaskChange{ID: task.ID, Seen: &ls.Seen, Apply: ls.Then(func(t *domain.Task) error {
			if err := t.HeldBy("d"); err != nil {
				return err
			}
			return t.Succeed([]byte(`{"done":true}`), ended)
		})}
	}
	results := updateMany(t, s, changes)

	want := seen[tasks[0].ID]
	require.NoError(t, want.StartBy("d", worker, began))
	require.NoError(t, want.Succeed([]byte(`{"done":true}`), ended))
	require.NoError(t, results[0].Err)
	RequireSameTask(t, want, results[0].Task)
	RequireSameTask(t, want, getTask(t, s, tasks[0].ID))
	require.Equal(t, 1, want.Attempts)
	require.Len(t, want.AttemptLog, 1)
	require.Equal(t, domain.AttemptSucceeded, want.AttemptLog[0].Outcome)

	require.ErrorIs(t, results[1].Err, domain.ErrConflict, "cancelled meanwhile: the late start is refused")
	require.Equal(t, domain.StatusCancelled, getTask(t, s, tasks[1].ID).Status)
	require.ErrorIs(t, results[2].Err, domain.ErrConflict, "started by another delivery meanwhile: refused")
	require.Equal(t, "other", getTask(t, s, tasks[2].ID).Holder)
}
