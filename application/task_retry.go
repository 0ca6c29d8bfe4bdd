package application

import (
	"context"
	"slices"

	"taskrunner/domain"
)

// Retry submits a failed or cancelled task again as a new task: the same type, params
// and options (timeout, retries, priority, callback URL), with RetryOf naming the
// original. It is due now whatever the original's run_at, and takes no idempotency key
// (each retry is a task of its own). It counts against the client's rate limit like any
// submit. A task in another state is task_not_retryable (409); an unknown one
// task_not_found.
func (s *TaskService) Retry(ctx context.Context, id, clientID string) (domain.Task, error) {
	orig, err := s.Get(ctx, id)
	if err != nil {
		return domain.Task{}, err
	}
	if err := orig.Retryable(); err != nil {
		return domain.Task{}, err
	}
	if err := s.allow(ctx, clientID, 1); err != nil {
		return domain.Task{}, err
	}
	now := s.deps.Clock.Now()
	t := domain.Task{
		ID:             s.deps.IDs.New(now),
		Type:           orig.Type,
		Status:         domain.StatusQueued,
		Params:         slices.Clone(orig.Params),
		MaxRetries:     orig.MaxRetries,
		TimeoutSeconds: orig.TimeoutSeconds,
		ClientID:       clientID,
		Priority:       orig.Priority,
		RetryOf:        orig.ID,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	if t.Priority == 0 {
		t.Priority = domain.DefaultPriority
	}
	if orig.Callback != nil {
		t.Callback = domain.NewCallback(orig.Callback.URL)
	}
	stored, _, err := s.create(ctx, t)
	if err != nil {
		return domain.Task{}, err
	}
	s.deps.Log.InfoContext(ctx, "task_retried", "task_id", stored.ID, "retry_of", orig.ID, "type", string(stored.Type))
	return stored, nil
}

// Attempts returns every attempt of the task, oldest first (the task's attempt log), or
// task_not_found.
func (s *TaskService) Attempts(ctx context.Context, id string) ([]domain.Attempt, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return t.AttemptLog, nil
}
