package ports

import (
	"context"
	"time"
)

// DuePromoter moves scheduled tasks whose time has come to queued in the record, so that
// listings say what is true. It is bookkeeping only: the queue delivers a due task on its
// own, and a worker starts a scheduled task as readily as a queued one.
type DuePromoter interface {
	// PromoteDue sets up to limit tasks that are scheduled with RunAt at or before now to
	// queued (UpdatedAt = now), earliest RunAt first, and returns how many it changed. A
	// task changed meanwhile by another writer (started, cancelled) is left as that writer
	// left it. A task parked for its children (AwaitingChildren, no RunAt) is never due.
	// Nothing due: 0 and nil.
	PromoteDue(ctx context.Context, now time.Time, limit int) (int, error)
}
