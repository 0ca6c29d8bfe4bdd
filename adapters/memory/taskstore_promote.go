package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.DuePromoter     = (*TaskStore)(nil)
	_ ports.DueTaskPromoter = (*TaskStore)(nil)
)

// PromoteDue sets up to limit scheduled tasks whose RunAt is at or before now to queued,
// earliest RunAt first. It reads only the scheduled tasks (kept in s.scheduled), not the
// whole store.
func (s *TaskStore) PromoteDue(ctx context.Context, now time.Time, limit int) (int, error) {
	promoted, err := s.PromoteDueTasks(ctx, now, limit)
	return len(promoted), err
}

// PromoteDueTasks implements ports.DueTaskPromoter.
func (s *TaskStore) PromoteDueTasks(ctx context.Context, now time.Time, limit int) ([]domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return []domain.Task{}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []*domain.Task
	for id := range s.scheduled {
		t := s.tasks[id]
		if t.AwaitingChildren {
			continue // a parked parent is due when its children end, not at a time
		}
		if t.RunAt == nil || !t.RunAt.After(now) {
			due = append(due, t)
		}
	}
	slices.SortFunc(due, func(a, b *domain.Task) int {
		if a.RunAt != nil && b.RunAt != nil {
			if c := a.RunAt.Compare(*b.RunAt); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	due = due[:min(limit, len(due))]
	promoted := make([]domain.Task, 0, len(due))
	for _, t := range due {
		c := t.Clone()
		c.Status = domain.StatusQueued
		c.UpdatedAt = now
		s.replaceLocked(&c)
		promoted = append(promoted, c.Clone())
	}
	return promoted, nil
}

// trackScheduledLocked keeps s.scheduled in step with t's status.
func (s *TaskStore) trackScheduledLocked(t *domain.Task) {
	if t.Status == domain.StatusScheduled {
		s.scheduled[t.ID] = struct{}{}
		return
	}
	delete(s.scheduled, t.ID)
}
