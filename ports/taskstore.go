package ports

import (
	"context"

	"taskrunner/domain"
)

// TaskStore is the system of record for tasks. Every state change goes through Update, which
// applies a domain transition atomically against the stored row (a row lock or a
// conditional write), so concurrent or duplicate workers can never apply two transitions
// from the same state.
type TaskStore interface {
	// Create stores a new task. When t.IdempotencyKey is set and a task with that key
	// exists, it stores nothing and returns the existing task with created == false.
	Create(ctx context.Context, t domain.Task) (stored domain.Task, created bool, err error)
	// Get returns the task, or an error matching domain.ErrNotFound.
	Get(ctx context.Context, id string) (domain.Task, error)
	// GetByIdempotencyKey returns the task stored with this idempotency key (as stored:
	// scoped, see application.SubmitInput), or an error matching domain.ErrNotFound; an
	// empty key matches nothing.
	GetByIdempotencyKey(ctx context.Context, key string) (domain.Task, error)
	// List returns tasks matching the filter, ordered by id descending (newest first), at
	// most filter.Limit of them; NextAfter is set when more may follow.
	List(ctx context.Context, filter domain.TaskFilter) (domain.TaskPage, error)
	// Update loads the task, calls fn on a copy, and stores the copy only if fn returns nil,
	// atomically. It returns the stored task; fn's error unchanged; or domain.ErrNotFound.
	// fn may be called more than once (an optimistic write that lost a race is redone on
	// the row as then stored), so it must only change the copy it is given and set
	// captured results afresh on each call.
	Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error)
	// ListStale returns up to q.Limit tasks with q.Status whose UpdatedAt is before
	// q.UpdatedBefore, ordered by (UpdatedAt, ID) ascending and strictly after q.After: the
	// reconciler's input. Passing the last task's domain.StaleCursorAt as the next After
	// pages through every stale task exactly once (a task updated meanwhile moves on to a
	// later position or out of the set); a page shorter than q.Limit is the last.
	ListStale(ctx context.Context, q domain.StaleQuery) ([]domain.Task, error)
	// CountByTypeStatus returns how many tasks exist per (type, status), for GET /stats and
	// the metrics: from counters the store's own writes keep (creates, transitions,
	// deletes), never a scan of the tasks, and always equal to a recount (see
	// contract.TaskCounts).
	CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error)
}
