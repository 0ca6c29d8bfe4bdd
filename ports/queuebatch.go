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
	// EnqueueMany is Enqueue for every item, in one round trip (an adapter may split a
	// batch far larger than the application's, into a round trip per thousand or so); ids
	// already waiting or leased, and repeats of an id earlier in items, are left as they
	// are. Ids made ready by one call are delivered in the order given. An empty id fails
	// the call before anything is enqueued; no items is a no-op.
	EnqueueMany(ctx context.Context, items []domain.QueueItem) error
	// DequeueMany blocks like Dequeue until at least one id is deliverable or ctx ends
	// (then it returns ctx.Err()), then leases up to max ids deliverable at that moment,
	// oldest first, each under its own lease for d (its own token: Extend, Ack and Release
	// take each lease on its own). It never returns more than max ids, nor an empty slice
	// with a nil error; an adapter may cap a batch below a large max. max must be at least 1
	// (otherwise it returns an error at once).
	DequeueMany(ctx context.Context, max int, d time.Duration) ([]domain.Lease, error)
	// AckMany is Ack for every lease, in one round trip (split like EnqueueMany's). Leases
	// no longer held are left alone and returned in lost, in the order given; a lease given
	// twice is acked once and its second copy is lost. err is for the call as a whole: when
	// it is not nil, some of the leases may have been acked.
	AckMany(ctx context.Context, leases []domain.Lease) (lost []domain.Lease, err error)
}
