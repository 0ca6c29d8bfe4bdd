package ports

import (
	"context"
	"time"

	"taskrunner/domain"
)

// Queue carries task ids (never payloads) from the API to the workers, with leases: a
// dequeued id is invisible to others until its lease expires, is extended, acked or
// released. An id whose lease expires is delivered again (at-least-once).
type Queue interface {
	// Enqueue makes the id deliverable at or after item.NotBefore (zero: now). It is
	// idempotent: an id already waiting or leased is left as it is and nil is returned.
	Enqueue(ctx context.Context, item domain.QueueItem) error
	// Dequeue blocks until an id is deliverable or ctx ends (then it returns ctx.Err()), and
	// leases it to the caller for d.
	Dequeue(ctx context.Context, d time.Duration) (domain.Lease, error)
	// Extend pushes the lease's expiry to now+d (heartbeat). It returns domain.ErrLeaseLost
	// when the lease expired and was redelivered, acked or released.
	Extend(ctx context.Context, l domain.Lease, d time.Duration) error
	// Ack removes the id for good. Acking a lost lease returns domain.ErrLeaseLost.
	Ack(ctx context.Context, l domain.Lease) error
	// Release ends the lease and makes the id deliverable again at notBefore (zero: now):
	// for retries with backoff and for hand-back at shutdown. Returns domain.ErrLeaseLost
	// when the lease is no longer held.
	Release(ctx context.Context, l domain.Lease, notBefore time.Time) error
	// Contains reports whether the id is waiting or leased (the reconciler's question).
	Contains(ctx context.Context, taskID string) (bool, error)
	// Depth returns the number of ids waiting (ready or delayed), not counting leased ones.
	Depth(ctx context.Context) (int64, error)
}
