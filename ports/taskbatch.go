package ports

import (
	"context"

	"taskrunner/domain"
)

// TaskBatchStore writes many tasks in one round trip: the hot path's group commit
// (concurrent submits inserted together, a worker's deliveries started together, finished
// tasks completed together). Each task keeps the guarantees of TaskStore: a create honours
// its idempotency key, a change is applied atomically from the state it finds.
type TaskBatchStore interface {
	// CreateMany stores the tasks as Create would, all in one write, and returns one result
	// per task in the order given. A task whose idempotency key is taken (by a stored task
	// or by an earlier task of the same call) is not stored: its result holds the task that
	// has the key, Created false. IDs must be distinct. On error nothing is stored.
	CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error)
	// UpdateMany applies each change as Update would, all in one write, and returns one
	// result per change in the order given: the task as stored, or Apply's error unchanged,
	// or an error matching domain.ErrNotFound. A change whose Apply fails stores nothing for
	// that task and does not stop the others. IDs must be distinct. Apply may be called
	// more than once per change, on a fresh copy each time. On error nothing is stored.
	UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error)
}
