package ports

import (
	"time"

	"context"

	"taskrunner/domain"
)

// TaskEvents is the task-change feed: every write that changes a task's state is published
// after it is stored, and every process that subscribed receives it. It is a notification,
// not a record: the task row stays the truth, and delivery is best effort.
type TaskEvents interface {
	// Publish sends the tasks (as stored) to every current subscriber, as one message or
	// as few as the transport allows. It never waits on a subscriber: a subscriber that
	// cannot keep up loses events instead and is told (TaskEvent.Missed). An error means
	// the tasks were not sent (the transport is down); no tasks: nothing is sent. A task's
	// ClientID is never carried (it may be a bearer token): subscribers see it empty.
	// Publish does not keep the slice after it returns (the caller reuses it).
	Publish(ctx context.Context, tasks []domain.Task) error
	// Subscribe returns a channel of the events published after the subscription is
	// established (Subscribe returns only then), in publish order per publisher. The
	// channel is closed when ctx ends.
	Subscribe(ctx context.Context) (<-chan domain.TaskEvent, error)
}

// TaskEventObserver is told about task events that were not published, for metrics. It
// must not block.
type TaskEventObserver interface {
	// TaskEventsDropped adds n to the count of task events never published.
	TaskEventsDropped(n int)
}

// DueTaskPromoter is a DuePromoter that returns the tasks it promoted (as stored), so that
// their move to queued reaches the task-change feed.
type DueTaskPromoter interface {
	// PromoteDueTasks does what DuePromoter.PromoteDue does and returns the promoted
	// tasks; nothing due: an empty slice and nil.
	PromoteDueTasks(ctx context.Context, now time.Time, limit int) ([]domain.Task, error)
}
