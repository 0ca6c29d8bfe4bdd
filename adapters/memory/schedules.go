package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.ScheduleStore = (*ScheduleStore)(nil)

// ScheduleStore is an in-memory ports.ScheduleStore. One lock guards everything, and
// Update's and FireDue's fn run under it, so each is atomic with respect to every other
// call (the memory counterpart of PostgreSQL's row lock); fn must not call the store.
type ScheduleStore struct {
	mu        sync.Mutex
	schedules map[string]*domain.Schedule
}

// NewScheduleStore returns an empty store.
func NewScheduleStore() *ScheduleStore {
	return &ScheduleStore{schedules: map[string]*domain.Schedule{}}
}

// Create stores a copy of sc; its id must be a UUID (as PostgreSQL requires) and new.
func (s *ScheduleStore) Create(ctx context.Context, sc domain.Schedule) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !domain.ValidID(sc.ID) {
		return fmt.Errorf("memory schedule store: id %q is not a UUID", sc.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.schedules[sc.ID]; ok {
		return fmt.Errorf("memory schedule store: schedule %s exists: %w", sc.ID, domain.ErrConflict)
	}
	c := sc.Clone()
	s.schedules[sc.ID] = &c
	return nil
}

// Get returns a copy of the schedule.
func (s *ScheduleStore) Get(ctx context.Context, id string) (domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return domain.Schedule{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.schedules[id]
	if !ok {
		return domain.Schedule{}, notFound("schedule", id)
	}
	return sc.Clone(), nil
}

// List returns up to limit schedules, oldest id first.
func (s *ScheduleStore) List(ctx context.Context, limit int) ([]domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.schedules))
	for id := range s.schedules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := []domain.Schedule{}
	for _, id := range ids {
		if len(out) >= limit {
			break
		}
		out = append(out, s.schedules[id].Clone())
	}
	return out, nil
}

// Update applies fn to a copy under the lock and stores it when fn returns nil.
func (s *ScheduleStore) Update(ctx context.Context, id string, fn func(*domain.Schedule) error) (domain.Schedule, error) {
	if err := ctx.Err(); err != nil {
		return domain.Schedule{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.schedules[id]
	if !ok {
		return domain.Schedule{}, notFound("schedule", id)
	}
	return s.applyLocked(old, fn)
}

// Delete removes the schedule.
func (s *ScheduleStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.schedules[id]; !ok {
		return notFound("schedule", id)
	}
	delete(s.schedules, id)
	return nil
}

// FireDue applies fn to the enabled schedule due earliest (at or before now), under the
// lock: a second caller waits, then finds it no longer due.
func (s *ScheduleStore) FireDue(ctx context.Context, now time.Time, fn func(*domain.Schedule) error) (domain.Schedule, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.Schedule{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var due *domain.Schedule
	for _, sc := range s.schedules {
		if !sc.Enabled || sc.NextRunAt == nil || sc.NextRunAt.After(now) {
			continue
		}
		if due == nil || sc.NextRunAt.Before(*due.NextRunAt) ||
			(sc.NextRunAt.Equal(*due.NextRunAt) && sc.ID < due.ID) {
			due = sc
		}
	}
	if due == nil {
		return domain.Schedule{}, false, nil
	}
	stored, err := s.applyLocked(due, fn)
	if err != nil {
		return domain.Schedule{}, false, err
	}
	return stored, true, nil
}

// NextDue returns the earliest NextRunAt of the enabled schedules.
func (s *ScheduleStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	found := false
	for _, sc := range s.schedules {
		if sc.Enabled && sc.NextRunAt != nil && (!found || sc.NextRunAt.Before(next)) {
			next, found = *sc.NextRunAt, true
		}
	}
	return next, found, nil
}

func (s *ScheduleStore) applyLocked(old *domain.Schedule, fn func(*domain.Schedule) error) (domain.Schedule, error) {
	c := old.Clone()
	if err := fn(&c); err != nil {
		return domain.Schedule{}, err
	}
	c.ID = old.ID // the id is the record's identity, not a field fn may move
	stored := c.Clone()
	s.schedules[old.ID] = &stored
	return c, nil
}
