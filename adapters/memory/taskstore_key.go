package memory

import (
	"context"

	"taskrunner/domain"
)

// GetByIdempotencyKey returns a copy of the task holding key, or an error matching
// domain.ErrNotFound.
func (s *TaskStore) GetByIdempotencyKey(ctx context.Context, key string) (domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return domain.Task{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.byKey[key]
	if !ok || key == "" {
		return domain.Task{}, notFound("task with idempotency key", key)
	}
	return s.tasks[id].Clone(), nil
}
