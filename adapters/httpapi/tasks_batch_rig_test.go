package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"taskrunner/adapters/memory"
	"taskrunner/domain"
	"taskrunner/ports"
)

// batchStore stands in for the memory adapter's ports.TaskBatchStore until it lands:
// CreateMany creates each task on the rig's store under one lock, all or none (the memory
// store cannot fail half-way), and fails whole while the store is down.
type batchStore struct {
	*flakyStore
	mu sync.Mutex
}

func (s *batchStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down.Load() {
		return nil, errStoreDown
	}
	out := make([]domain.CreateResult, len(tasks))
	for i, t := range tasks {
		stored, created, err := s.Create(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("batchStore: failed half-way, which this fake must not: %w", err)
		}
		out[i] = domain.CreateResult{Task: stored, Created: created}
	}
	return out, nil
}

func (s *batchStore) UpdateMany(context.Context, []domain.TaskChange) ([]domain.ChangeResult, error) {
	return nil, errors.New("batchStore: UpdateMany is not used by the API")
}

// batchQueue is the memory queue with EnqueueMany as a loop of Enqueue.
type batchQueue struct {
	*memory.Queue
}

func (q *batchQueue) EnqueueMany(ctx context.Context, items []domain.QueueItem) error {
	for _, it := range items {
		if err := q.Enqueue(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

func (q *batchQueue) DequeueMany(context.Context, int, time.Duration) ([]domain.Lease, error) {
	return nil, errors.New("batchQueue: DequeueMany is not used by the API")
}

func (q *batchQueue) AckMany(context.Context, []domain.Lease) ([]domain.Lease, error) {
	return nil, errors.New("batchQueue: AckMany is not used by the API")
}

var (
	_ ports.TaskBatchStore = (*batchStore)(nil)
	_ ports.BatchQueue     = (*batchQueue)(nil)
)
