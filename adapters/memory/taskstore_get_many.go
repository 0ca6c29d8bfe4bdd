package memory

import (
	"context"

	"taskrunner/domain"
)

// GetMany implements ports.TaskBatchStore: copies of the tasks that exist, each once, under one
// hold of the read lock.
func (s *TaskStore) GetMany(ctx context.Context, ids []string) ([]domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]domain.Task, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if t, ok := s.tasks[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, t.Clone())
		}
	}
	return out, nil
}
