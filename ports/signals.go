package ports

import "context"

// CancelSignals broadcasts "cancel task X" to every worker process.
type CancelSignals interface {
	// Publish announces that the task should be cancelled. Delivery is best effort: workers
	// also see CancelRequested on the record.
	Publish(ctx context.Context, taskID string) error
	// Subscribe returns a channel of task ids published after the subscription is
	// established (Subscribe returns only then). The channel is closed when ctx ends.
	Subscribe(ctx context.Context) (<-chan string, error)
}
