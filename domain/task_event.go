package domain

// TaskEvent is one task change as a subscriber of the task-change feed receives it: the
// task as stored by the write that changed it.
type TaskEvent struct {
	Task Task
	// Missed says that events were lost right before this one (the subscriber, or the
	// feed's transport, fell behind): a subscriber that needs every change must re-read
	// the record.
	Missed bool
}
