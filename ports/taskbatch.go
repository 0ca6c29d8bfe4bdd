package ports

import (
	"context"

	"taskrunner/domain"
)

// TaskBatchStore writes and reads many tasks in one round trip: the hot path's group
// commit (concurrent submits inserted together, a worker's deliveries read together,
// finished tasks completed together). Each task keeps the guarantees of TaskStore: a create honours
// its idempotency key, a change is applied atomically from the state it finds.
type TaskBatchStore interface {
	// CreateMany stores the tasks as Create would, all in one write, and returns one result
	// per task in the order given. A task whose idempotency key is taken (by a stored task
	// or by an earlier task of the same call) is not stored: its result holds the task that
	// has the key, Created false. IDs must be distinct: an id repeated in the call, or
	// already stored, is an error, as for Create. On error nothing is stored; a value the
	// store cannot keep (an error matching domain.ErrInvalidValue) fails the whole call, so
	// a caller that wants the other tasks stored retries them one by one. No tasks: an
	// empty result.
	CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error)
	// UpdateMany applies each change as Update would, all in one write, and returns one
	// result per change in the order given: the task as stored, or Apply's error unchanged,
	// or an error matching domain.ErrNotFound. A change whose Apply fails stores nothing for
	// that task and does not stop the others. IDs must be distinct: a repeated id is an
	// error. Apply may be called more than once per change, on a fresh copy each time, and
	// must not call back into the store (it may run while the batch holds its rows). On
	// error nothing is stored; as for CreateMany, a value the store cannot keep fails the
	// whole call.
	UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error)
	// GetMany reads the tasks with the given ids in one round trip, as Get would each:
	// the tasks found, in no particular order; an id with no task (or no valid id) is
	// simply absent. It locks and writes nothing. No ids: an empty result.
	GetMany(ctx context.Context, ids []string) ([]domain.Task, error)
}
