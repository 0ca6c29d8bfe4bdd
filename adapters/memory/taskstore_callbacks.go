package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.CallbackOutbox = (*TaskStore)(nil)

// trackCallbackLocked keeps t's id in the due set exactly while its callback is owed.
func (s *TaskStore) trackCallbackLocked(t *domain.Task) {
	if t.Callback.Due() {
		s.due[t.ID] = struct{}{}
	} else {
		delete(s.due, t.ID)
	}
}

// ClaimDueCallbacks claims up to c.Limit due callbacks of final tasks, oldest due first,
// counting the attempt and moving NextAt to c.LeaseUntil (ports.CallbackOutbox).
func (s *TaskStore) ClaimDueCallbacks(ctx context.Context, c domain.CallbackClaim) ([]domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limit := max(c.Limit, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	var ready []*domain.Task
	for id := range s.due {
		t := s.tasks[id]
		if t.Status.Terminal() && !t.Callback.NextAt.After(c.Now) {
			ready = append(ready, t)
		}
	}
	slices.SortFunc(ready, func(a, b *domain.Task) int {
		if d := a.Callback.NextAt.Compare(*b.Callback.NextAt); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	ready = ready[:min(limit, len(ready))]
	out := make([]domain.Task, len(ready))
	for i, t := range ready {
		lease := c.LeaseUntil
		t.Callback.Attempts++
		t.Callback.NextAt = &lease
		out[i] = t.Clone()
	}
	return out, nil
}

// RecordCallback writes one attempt's outcome while that attempt holds the delivery
// (ports.CallbackOutbox).
func (s *TaskStore) RecordCallback(ctx context.Context, r domain.CallbackRecord) (domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return domain.Task{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[r.TaskID]
	if !ok {
		return domain.Task{}, notFound("task", r.TaskID)
	}
	cb := t.Callback
	if cb == nil || cb.Status != domain.CallbackPending || cb.Attempts != r.Attempt {
		return domain.Task{}, fmt.Errorf("memory task store: callback of task %s: attempt %d no longer holds the delivery: %w",
			r.TaskID, r.Attempt, domain.ErrConflict)
	}
	cb.Status, cb.LastError, cb.NextAt = r.Result.Status, domain.StorableText(r.Result.LastError), nil
	if r.Result.NextAt != nil {
		next := *r.Result.NextAt // the caller's pointer stays the caller's
		cb.NextAt = &next
	}
	s.trackCallbackLocked(t)
	return t.Clone(), nil
}
