package memory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.BatchQueue = (*Queue)(nil)

// EnqueueMany is Enqueue for every item under one lock. An empty id fails the whole call
// before anything is enqueued.
func (q *Queue) EnqueueMany(ctx context.Context, items []domain.QueueItem) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, it := range items {
		if it.TaskID == "" {
			return errors.New("memory queue: empty task id")
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock.Now()
	q.advanceLocked(now)
	for _, it := range items {
		q.enqueueLocked(it, now)
	}
	return nil
}

// DequeueMany blocks until an id is ready or ctx ends, then leases up to limit ready ids
// for d: highest priority first, oldest first within a priority.
func (q *Queue) DequeueMany(ctx context.Context, limit int, d time.Duration) ([]domain.Lease, error) {
	if limit < 1 {
		return nil, fmt.Errorf("memory queue: DequeueMany wants at least 1 id, got max %d", limit)
	}
	if d <= 0 {
		return nil, fmt.Errorf("memory queue: lease duration must be > 0, got %s", d)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		q.mu.Lock()
		now := q.clock.Now()
		q.advanceLocked(now)
		if n := min(limit, q.ready.len()); n > 0 {
			leases := make([]domain.Lease, n)
			for i := range leases {
				id, priority, _ := q.ready.pop()
				leases[i] = q.leaseLocked(id, priority, now, d)
			}
			q.wakeLocked() // more may be ready for other parked callers
			q.mu.Unlock()
			return leases, nil
		}
		if err := q.parkLocked(ctx, now); err != nil {
			return nil, err
		}
	}
}

// AckMany is Ack for every lease under one lock; the leases no longer held come back in
// the order given.
func (q *Queue) AckMany(ctx context.Context, leases []domain.Lease) ([]domain.Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.advanceLocked(q.clock.Now())
	var lost []domain.Lease
	for _, l := range leases {
		cur, err := q.heldLocked(l)
		if err != nil {
			lost = append(lost, l)
			continue
		}
		q.dropLeaseLocked(cur)
		delete(q.lapsed, cur.id)
	}
	return lost, nil
}
