package ports

import (
	"context"
	"time"

	"taskrunner/domain"
)

// BatchQueue moves many ids per round trip: the push of a group-committed batch of
// submits, a worker taking as many ids as it has free slots, and the acks of a batch of
// finished tasks. Each id keeps the semantics of the Queue method it batches.
type BatchQueue interface {
	// EnqueueMany is Enqueue for every item, in one round trip; ids already waiting or
	// leased are left as they are.
	EnqueueMany(ctx context.Context, items []domain.QueueItem) error
	// DequeueMany blocks like Dequeue until at least one id is deliverable or ctx ends
	// (then it returns ctx.Err()), then leases up to max ids deliverable at that moment,
	// oldest first, each under its own lease for d. It never returns more than max ids, nor
	// an empty slice with a nil error. max must be at least 1.
	DequeueMany(ctx context.Context, max int, d time.Duration) ([]domain.Lease, error)
	// AckMany is Ack for every lease, in one round trip. Leases no longer held are left
	// alone and returned in lost; err is for the call as a whole.
	AckMany(ctx context.Context, leases []domain.Lease) (lost []domain.Lease, err error)
}
