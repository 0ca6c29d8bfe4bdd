package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// The hints of a TaskChange (Start, Seen) may change how a store writes, never what it
// writes: each case compares the hinted outcome with Apply's on the row as stored.

// workerStart is the worker's start transition, with its hint.
func workerStart(id, holder string, at time.Time) domain.TaskChange {
	return domain.TaskChange{ID: id, Start: &domain.StartIntent{Holder: holder, At: at},
		Apply: func(t *domain.Task) error {
			if err := t.Start(holder, at); err != nil {
				return err
			}
			if t.CancelRequested {
				return t.MarkCancelled(at)
			}
			if t.StartsExhausted() {
				return t.Fail(domain.LostTooOften(t), at)
			}
			return nil
		}}
}

func batchHintStart(t *testing.T, s BatchTaskStore) {
	plain := NewTask()
	running := FullTask(WithStatus(domain.StatusRunning), func(t *domain.Task) { t.CancelRequested = false; t.Attempts = 1 })
	cancelWaits := NewTask(WithStatus(domain.StatusRunning), func(t *domain.Task) { t.CancelRequested = true; t.Holder = "old" })
	exhausted := NewTask(func(t *domain.Task) { t.Attempts = t.MaxStarts() })
	finished := NewTask(WithStatus(domain.StatusSucceeded), func(t *domain.Task) { t.Result = []byte(`{}`) })
	tasks := []domain.Task{plain, running, cancelWaits, exhausted, finished}
	for i, r := range createMany(t, s, tasks) {
		tasks[i] = r.Task
	}
	at := Now().Add(time.Second)
	changes := make([]domain.TaskChange, len(tasks))
	for i, task := range tasks {
		changes[i] = workerStart(task.ID, "delivery-new", at)
	}
	results := updateMany(t, s, changes)
	for i, task := range tasks {
		want := task.Clone()
		err := changes[i].Apply(&want)
		if err != nil {
			require.ErrorIs(t, results[i].Err, domain.ErrConflict, "task %d: Apply's error", i)
			RequireSameTask(t, task, getTask(t, s, task.ID))
			continue
		}
		require.NoError(t, results[i].Err, "task %d", i)
		RequireSameTask(t, want, results[i].Task)
		RequireSameTask(t, want, getTask(t, s, task.ID))
	}
	require.Equal(t, domain.StatusRunning, results[0].Task.Status)
	require.Equal(t, domain.StatusCancelled, results[2].Task.Status, "a waiting cancel ends the task at start")
	require.Equal(t, domain.StatusFailed, results[3].Task.Status, "a start past MaxStarts fails the task")
}

// finishHinted is a finish of the attempt held by holder, with seen as its hint; Apply
// records on the result whether it saw a cancel request, so a test can tell which row
// version it ran on.
func finishHinted(id, holder string, seen *domain.Task, at time.Time) domain.TaskChange {
	return domain.TaskChange{ID: id, Seen: seen, Apply: func(t *domain.Task) error {
		if err := t.HeldBy(holder); err != nil {
			return err
		}
		if t.CancelRequested {
			return t.MarkCancelled(at)
		}
		return t.Succeed([]byte(`{"done":true}`), at)
	}}
}

func batchHintSeen(t *testing.T, s BatchTaskStore) {
	tasks := createQueued(t, s, 4)
	start := Now().Add(time.Second)
	changes := make([]domain.TaskChange, len(tasks))
	for i, task := range tasks {
		changes[i] = workerStart(task.ID, "d", start)
	}
	started := make([]domain.Task, len(tasks))
	for i, r := range updateMany(t, s, changes) {
		require.NoError(t, r.Err)
		started[i] = r.Task
	}
	// Task 1: a cancel request lands after the start (the seen version is stale).
	// Task 2: another delivery took it over. Task 3: the seen copy is of another task.
	_, err := s.Update(t.Context(), tasks[1].ID, func(t *domain.Task) error {
		_, err := t.Cancel(start.Add(time.Millisecond))
		return err
	})
	require.NoError(t, err)
	_, err = s.Update(t.Context(), tasks[2].ID, func(t *domain.Task) error { return t.Start("other", start.Add(time.Millisecond)) })
	require.NoError(t, err)
	wrongSeen := started[0]

	at := start.Add(time.Second)
	finishes := []domain.TaskChange{
		finishHinted(tasks[0].ID, "d", &started[0], at),
		finishHinted(tasks[1].ID, "d", &started[1], at),
		finishHinted(tasks[2].ID, "d", &started[2], at),
		finishHinted(tasks[3].ID, "d", &wrongSeen, at),
	}
	results := updateMany(t, s, finishes)
	for i, task := range tasks {
		if results[i].Err == nil { // the store holds exactly what it returned
			RequireSameTask(t, getTask(t, s, task.ID), results[i].Task)
		}
	}
	require.Equal(t, domain.StatusSucceeded, results[0].Task.Status)
	requireSameJSON(t, tasks[0].Params, results[0].Task.Params, "params of a hinted write")
	require.Equal(t, domain.StatusCancelled, results[1].Task.Status, "Apply ran on the row as stored, not on the stale copy")
	require.ErrorIs(t, results[2].Err, domain.ErrConflict, "the lapsed delivery changes nothing")
	require.Equal(t, "other", getTask(t, s, tasks[2].ID).Holder)
	require.Equal(t, domain.StatusSucceeded, results[3].Task.Status, "a copy of another task is no hint")
	requireSameJSON(t, tasks[3].Params, results[3].Task.Params, "params of task 3")
}
