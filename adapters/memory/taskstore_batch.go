package memory

import (
	"context"
	"fmt"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskBatchStore = (*TaskStore)(nil)

// CreateMany stores the tasks as Create would, under one hold of the store's lock. Every
// outcome is decided before anything is stored, so an error stores nothing.
func (s *TaskStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range tasks {
		if !domain.ValidID(tasks[i].ID) {
			return nil, fmt.Errorf("memory task store: id %q is not a UUID", tasks[i].ID)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	holder := make([]string, len(tasks)) // id of the task holding the key; "" for a new task
	batchKeys := map[string]string{}     // keys taken by this batch -> id
	batchIDs := map[string]bool{}
	for i := range tasks {
		t := &tasks[i]
		// As in Create, a taken key wins over a taken id.
		if key := t.IdempotencyKey; key != "" {
			if id, ok := s.byKey[key]; ok {
				holder[i] = id
				continue
			}
			if id, ok := batchKeys[key]; ok {
				holder[i] = id
				continue
			}
			batchKeys[key] = t.ID
		}
		if _, ok := s.tasks[t.ID]; ok || batchIDs[t.ID] {
			return nil, fmt.Errorf("memory task store: task %s exists: %w", t.ID, domain.ErrConflict)
		}
		batchIDs[t.ID] = true
	}
	results := make([]domain.CreateResult, len(tasks))
	for i := range tasks {
		if holder[i] == "" {
			results[i] = domain.CreateResult{Task: s.insertLocked(&tasks[i]), Created: true}
		}
	}
	for i := range tasks { // after the inserts: a holder may be a task of this batch
		if holder[i] != "" {
			results[i] = domain.CreateResult{Task: s.tasks[holder[i]].Clone()}
		}
	}
	return results, nil
}

// UpdateMany applies each change as Update would, under one hold of the store's lock, so
// Apply runs once per change and must not call back into the store. Every change is
// applied to a copy first and stored only when none of them breaks the store (an
// idempotency key taken twice), so an error stores nothing.
func (s *TaskStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		if seen[c.ID] {
			return nil, fmt.Errorf("memory task store: task %s changed twice in one batch", c.ID)
		}
		seen[c.ID] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	results := make([]domain.ChangeResult, len(changes))
	staged := make([]*domain.Task, len(changes))
	newKeys := map[string]string{} // keys changes move to -> id
	for i, ch := range changes {
		old, ok := s.tasks[ch.ID]
		if !ok {
			results[i].Err = notFound("task", ch.ID)
			continue
		}
		c := old.Clone()
		if err := ch.Apply(&c); err != nil {
			results[i].Err = err
			continue
		}
		c.ID = ch.ID
		if c.IdempotencyKey != old.IdempotencyKey && c.IdempotencyKey != "" {
			if err := s.keyFreeLocked(c.ID, c.IdempotencyKey); err != nil {
				return nil, err
			}
			if _, taken := newKeys[c.IdempotencyKey]; taken {
				return nil, fmt.Errorf("memory task store: idempotency key in use: %w", domain.ErrConflict)
			}
			newKeys[c.IdempotencyKey] = c.ID
		}
		staged[i] = &c
	}
	for i, c := range staged {
		if c != nil {
			results[i].Task = s.replaceLocked(c)
		}
	}
	return results, nil
}
