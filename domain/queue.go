package domain

import "time"

// QueueItem is one task id to deliver, no earlier than NotBefore (zero: now).
type QueueItem struct {
	TaskID    string
	NotBefore time.Time
}

// Lease is a worker's temporary hold on a delivered task id. Token distinguishes this
// delivery from later redeliveries of the same id.
type Lease struct {
	TaskID string
	Token  string
}
