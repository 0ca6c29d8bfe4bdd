package memory

import (
	"context"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskBatchStore = (*RetainingTaskStore)(nil)

// CreateMany stores the tasks (TaskStore.CreateMany), then applies the cap once.
func (s *RetainingTaskStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	res, err := s.TaskStore.CreateMany(ctx, tasks)
	if err == nil && len(res) > 0 {
		s.enforce(ctx)
	}
	return res, err
}

// UpdateMany applies the changes (TaskStore.UpdateMany), then the cap once when any task
// is now finished.
func (s *RetainingTaskStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	res, err := s.TaskStore.UpdateMany(ctx, changes)
	if err != nil {
		return res, err
	}
	for _, r := range res {
		if r.Err == nil && r.Task.Status.Terminal() {
			s.enforce(ctx)
			break
		}
	}
	return res, nil
}
