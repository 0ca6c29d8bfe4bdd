package domain

import "time"

// QueueItem is one task id to deliver, no earlier than NotBefore (zero: now). Among ids
// ready at once, a lower Priority number goes first (1 highest .. 4); 0 means
// DefaultPriority.
type QueueItem struct {
	TaskID    string
	NotBefore time.Time
	Priority  int
}

// QueuePriority is item's priority with 0 read as DefaultPriority and anything outside
// 1..4 clamped into it, so a queue adapter always has one of its four lanes.
func (item QueueItem) QueuePriority() int {
	switch {
	case item.Priority == 0:
		return DefaultPriority
	case item.Priority < MinPriority:
		return MinPriority
	case item.Priority > MaxPriority:
		return MaxPriority
	}
	return item.Priority
}

// Lease is a worker's temporary hold on a delivered task id. Token distinguishes this
// delivery from later redeliveries of the same id.
type Lease struct {
	TaskID string
	Token  string
	// Redelivered: an earlier lease of this id lapsed (its holder stopped extending it,
	// perhaps by dying) since the id was last acked. The worker then writes the start
	// before it runs anything (see application's late starts), so the attempt counts.
	Redelivered bool
}
