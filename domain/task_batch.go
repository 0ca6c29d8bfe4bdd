package domain

// CreateResult is one task's outcome in a batch create: the task as stored, or, when its
// idempotency key was taken, the task holding the key with Created false.
type CreateResult struct {
	Task    Task
	Created bool
}

// TaskChange is one task's transition in a batch update. Apply works like the fn of
// TaskStore.Update: it is called on a fresh copy of the stored task, may be called more
// than once, and stores nothing when it returns an error.
type TaskChange struct {
	ID    string
	Apply func(*Task) error
	// Seen, when set, is the caller's last view of the stored task (as a store returned
	// it). A store may apply the change to a copy of it and write the result where the row
	// is still that version (SameVersion), and fall back to reading the row otherwise.
	Seen *Task
	// Start, when set, says Apply is a worker's start (see StartIntent).
	Start *StartIntent
	// Late, when set, says Apply begins with this start, made earlier and written only now
	// (see LateStart). The store needs nothing of it; a feed shows the start as the event
	// it would have been had it been written alone.
	Late *LateStart
}

// ChangeResult is one change's outcome in a batch update: the task as stored when Err is
// nil; otherwise Apply's error unchanged, or an error matching ErrNotFound.
type ChangeResult struct {
	Task Task
	Err  error
}
