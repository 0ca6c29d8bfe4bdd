package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.TaskStore = (*TaskStore)(nil)
	_ ports.Pinger    = (*TaskStore)(nil)
)

// maxListLimit caps a listing, as the API does; a Limit <= 0 also means this.
const maxListLimit = 500

// TaskStore is an in-memory ports.TaskStore. One lock guards everything, so Update's fn
// runs atomically with respect to every other call; fn must not call back into the store.
type TaskStore struct {
	mu     sync.RWMutex
	tasks  map[string]*domain.Task
	ids    []string          // every id, ascending: ids are UUIDv7, so this is creation order
	byKey  map[string]string // idempotency key -> id
	counts map[domain.TaskType]map[domain.Status]int64
	// due holds the ids of tasks whose callback is owed (Callback.Due), so a deliverer's
	// claim looks at the outbox only, never at every task.
	due map[string]struct{}
	// scheduled holds the ids of scheduled tasks, so PromoteDue reads only those.
	scheduled map[string]struct{}
}

// NewTaskStore returns an empty store.
func NewTaskStore() *TaskStore {
	return &TaskStore{
		tasks:  map[string]*domain.Task{},
		byKey:  map[string]string{},
		counts: map[domain.TaskType]map[domain.Status]int64{},
		due:    map[string]struct{}{},

		scheduled: map[string]struct{}{},
	}
}

// Ping always succeeds: there is no backing service.
func (s *TaskStore) Ping(context.Context) error { return nil }

// Create stores a copy of t, or returns the task that already holds t's idempotency key.
// The id must be a UUID (as Postgres requires) and new.
func (s *TaskStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.Task{}, false, err
	}
	if !domain.ValidID(t.ID) {
		return domain.Task{}, false, fmt.Errorf("memory task store: id %q is not a UUID", t.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.IdempotencyKey != "" {
		if id, ok := s.byKey[t.IdempotencyKey]; ok {
			return s.tasks[id].Clone(), false, nil
		}
	}
	if _, ok := s.tasks[t.ID]; ok {
		return domain.Task{}, false, fmt.Errorf("memory task store: task %s exists: %w", t.ID, domain.ErrConflict)
	}
	return s.insertLocked(&t), true, nil
}

// insertLocked stores a copy of t, whose id and key the caller has checked are free, and
// returns another copy.
func (s *TaskStore) insertLocked(t *domain.Task) domain.Task {
	c := t.Clone()
	s.tasks[t.ID] = &c
	i, _ := slices.BinarySearch(s.ids, t.ID)
	s.ids = slices.Insert(s.ids, i, t.ID)
	if t.IdempotencyKey != "" {
		s.byKey[t.IdempotencyKey] = t.ID
	}
	s.countLocked(c.Type, c.Status, 1)
	s.trackCallbackLocked(&c)
	s.trackScheduledLocked(&c)
	return c.Clone()
}

// Get returns a copy of the task, or an error matching domain.ErrNotFound.
func (s *TaskStore) Get(ctx context.Context, id string) (domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return domain.Task{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.tasks[id]
	if !ok {
		return domain.Task{}, notFound("task", id)
	}
	return t.Clone(), nil
}

// List returns matching tasks with ids below filter.After, newest first. NextAfter is set
// only when another matching task really follows.
func (s *TaskStore) List(ctx context.Context, f domain.TaskFilter) (domain.TaskPage, error) {
	if err := ctx.Err(); err != nil {
		return domain.TaskPage{}, err
	}
	limit := f.Limit
	if limit <= 0 || limit > maxListLimit {
		limit = maxListLimit
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i := len(s.ids) - 1
	if f.After != "" {
		i = sort.SearchStrings(s.ids, f.After) - 1 // the last id < After
	}
	page := domain.TaskPage{Tasks: []domain.Task{}}
	for ; i >= 0; i-- {
		t := s.tasks[s.ids[i]]
		if !f.Matches(t) {
			continue
		}
		if len(page.Tasks) == limit {
			page.NextAfter = page.Tasks[limit-1].ID
			break
		}
		page.Tasks = append(page.Tasks, t.Clone())
	}
	return page, nil
}

// Update applies fn to a copy of the task under the store's lock and stores the copy only
// when fn returns nil. fn's error is returned unchanged.
func (s *TaskStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return domain.Task{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.tasks[id]
	if !ok {
		return domain.Task{}, notFound("task", id)
	}
	c := old.Clone()
	if err := fn(&c); err != nil {
		return domain.Task{}, err
	}
	c.ID = id // the id is the row's identity, not a field fn may move
	if err := s.keyFreeLocked(id, c.IdempotencyKey); err != nil {
		return domain.Task{}, err
	}
	return s.replaceLocked(&c), nil
}

// keyFreeLocked returns an error matching domain.ErrConflict when key is held by a task
// other than id.
func (s *TaskStore) keyFreeLocked(id, key string) error {
	if other, taken := s.byKey[key]; taken && key != "" && other != id {
		return fmt.Errorf("memory task store: idempotency key in use: %w", domain.ErrConflict)
	}
	return nil
}

// replaceLocked stores a copy of c over the stored task with its id, whose new key the
// caller has checked is free, and returns another copy.
func (s *TaskStore) replaceLocked(c *domain.Task) domain.Task {
	old := s.tasks[c.ID]
	if c.IdempotencyKey != old.IdempotencyKey {
		delete(s.byKey, old.IdempotencyKey)
		if c.IdempotencyKey != "" {
			s.byKey[c.IdempotencyKey] = c.ID
		}
	}
	s.countLocked(old.Type, old.Status, -1)
	s.countLocked(c.Type, c.Status, 1)
	// fn may have put caller-owned slices or pointers into c: store a copy of its own.
	stored := c.Clone()
	s.tasks[c.ID] = &stored
	s.trackCallbackLocked(&stored)
	s.trackScheduledLocked(&stored)
	return stored.Clone()
}

// ListStale returns up to q.Limit tasks in q.Status updated before q.UpdatedBefore and
// after the cursor q.After, in (UpdatedAt, ID) order.
func (s *TaskStore) ListStale(ctx context.Context, q domain.StaleQuery) ([]domain.Task, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var stale []*domain.Task
	for _, t := range s.tasks {
		if t.Status == q.Status && t.UpdatedAt.Before(q.UpdatedBefore) && q.After.Precedes(*t) {
			stale = append(stale, t)
		}
	}
	slices.SortFunc(stale, func(a, b *domain.Task) int {
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if q.Limit > 0 && len(stale) > q.Limit {
		stale = stale[:q.Limit]
	}
	out := make([]domain.Task, len(stale))
	for i, t := range stale {
		out[i] = t.Clone()
	}
	s.mu.RUnlock()
	return out, nil
}

// CountByTypeStatus returns the number of tasks per (type, status); only non-zero counts
// appear.
func (s *TaskStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[domain.TaskType]map[domain.Status]int64, len(s.counts))
	for typ, byStatus := range s.counts {
		m := make(map[domain.Status]int64, len(byStatus))
		for st, n := range byStatus {
			m[st] = n
		}
		out[typ] = m
	}
	return out, nil
}

// countLocked keeps the (type, status) counters, dropping zeros so the map stays small.
func (s *TaskStore) countLocked(typ domain.TaskType, st domain.Status, delta int64) {
	m := s.counts[typ]
	if m == nil {
		m = map[domain.Status]int64{}
		s.counts[typ] = m
	}
	m[st] += delta
	if m[st] == 0 {
		delete(m, st)
		if len(m) == 0 {
			delete(s.counts, typ)
		}
	}
}
