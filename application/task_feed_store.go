package application

import (
	"context"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// The task-change feed is fed in one place: these decorators of the task store's write
// ports offer every task a successful write changed to the TaskFeed, after the write
// returned (so after its commit). Services, workers, the reconciler and the promoter write
// through them without knowing; nothing else publishes. A batch write is offered as one
// batch. A write that changed no state (status, attempt, cancel request) is not an event.

var (
	_ ports.TaskStore      = (*FeedingTaskStore)(nil)
	_ ports.TaskBatchStore = (*FeedingTaskBatchStore)(nil)
	_ ports.DuePromoter    = (*FeedingPromoter)(nil)
)

// FeedingTaskStore is a ports.TaskStore whose writes feed the TaskFeed.
type FeedingTaskStore struct {
	ports.TaskStore // reads pass through
	feed            *TaskFeed
}

// NewFeedingTaskStore decorates s.
func NewFeedingTaskStore(s ports.TaskStore, feed *TaskFeed) *FeedingTaskStore {
	return &FeedingTaskStore{TaskStore: s, feed: feed}
}

// Create implements ports.TaskStore; a created task is an event.
func (s *FeedingTaskStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	stored, created, err := s.TaskStore.Create(ctx, t)
	if err == nil && created {
		s.feed.Offer(stored)
	}
	return stored, created, err
}

// Update implements ports.TaskStore; the stored task is an event when fn changed its state.
func (s *FeedingTaskStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	var w watchedChange
	stored, err := s.TaskStore.Update(ctx, id, w.wrap(fn))
	if err == nil && w.changed {
		s.feed.Offer(stored)
	}
	return stored, err
}

// FeedingTaskBatchStore is a ports.TaskBatchStore whose writes feed the TaskFeed, one
// offer per batch.
type FeedingTaskBatchStore struct {
	inner ports.TaskBatchStore
	feed  *TaskFeed
}

// NewFeedingTaskBatchStore decorates s.
func NewFeedingTaskBatchStore(s ports.TaskBatchStore, feed *TaskFeed) *FeedingTaskBatchStore {
	return &FeedingTaskBatchStore{inner: s, feed: feed}
}

// CreateMany implements ports.TaskBatchStore; the created tasks are events.
func (s *FeedingTaskBatchStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	res, err := s.inner.CreateMany(ctx, tasks)
	if err != nil {
		return res, err
	}
	events := make([]domain.Task, 0, 2*len(res)) // a late start adds its start's event
	for _, r := range res {
		if r.Created {
			events = append(events, r.Task)
		}
	}
	s.feed.Offer(events...)
	return res, nil
}

// GetMany implements ports.TaskBatchStore; a read is no event.
func (s *FeedingTaskBatchStore) GetMany(ctx context.Context, ids []string) ([]domain.Task, error) {
	return s.inner.GetMany(ctx, ids)
}

// UpdateMany implements ports.TaskBatchStore; each stored task whose state its change
// moved is an event. A worker's start (Start intent) always is, also where the store
// applies it without calling Apply. A start written late with the outcome (Late) is two
// events, the start and what was stored, as if each had been written alone: subscribers
// see every task go through running, however short its run.
func (s *FeedingTaskBatchStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	watched := make([]watchedChange, len(changes))
	wrapped := make([]domain.TaskChange, len(changes))
	for i, c := range changes {
		wrapped[i] = c
		wrapped[i].Apply = watched[i].wrap(c.Apply)
	}
	res, err := s.inner.UpdateMany(ctx, wrapped)
	if err != nil {
		return res, err
	}
	events := make([]domain.Task, 0, len(res))
	for i, r := range res {
		if r.Err != nil {
			continue
		}
		if late := changes[i].Late; late != nil {
			started := late.Seen.Clone()
			if late.Apply(&started) == nil {
				events = append(events, started)
			}
		}
		if watched[i].changed || changes[i].Start != nil {
			events = append(events, r.Task)
		}
	}
	s.feed.Offer(events...)
	return res, nil
}

// watchedChange notes whether the last call of a change function moved the task's state.
// Stores may call the function more than once; the last call is the one stored.
type watchedChange struct{ changed bool }

func (w *watchedChange) wrap(fn func(*domain.Task) error) func(*domain.Task) error {
	return func(t *domain.Task) error {
		before := stateOf(t)
		err := fn(t)
		w.changed = err == nil && stateOf(t) != before
		return err
	}
}

// taskState is what makes a write an event: anything else (a heartbeat, a callback's
// bookkeeping) is not a state change.
type taskState struct {
	status          domain.Status
	attempts        int
	cancelRequested bool
}

func stateOf(t *domain.Task) taskState {
	return taskState{status: t.Status, attempts: t.Attempts, cancelRequested: t.CancelRequested}
}

// FeedingPromoter is a ports.DuePromoter whose promotions (scheduled to queued) feed the
// TaskFeed. A store that cannot return what it promoted (no ports.DueTaskPromoter) is
// promoted through without events.
type FeedingPromoter struct {
	inner ports.DuePromoter
	feed  *TaskFeed
}

// NewFeedingPromoter decorates p.
func NewFeedingPromoter(p ports.DuePromoter, feed *TaskFeed) *FeedingPromoter {
	return &FeedingPromoter{inner: p, feed: feed}
}

// PromoteDue implements ports.DuePromoter.
func (p *FeedingPromoter) PromoteDue(ctx context.Context, now time.Time, limit int) (int, error) {
	tp, ok := p.inner.(ports.DueTaskPromoter)
	if !ok {
		return p.inner.PromoteDue(ctx, now, limit)
	}
	promoted, err := tp.PromoteDueTasks(ctx, now, limit)
	if err != nil {
		return 0, err
	}
	p.feed.Offer(promoted...)
	return len(promoted), nil
}
