package domain

import "time"

// A TaskChange's Apply is the whole truth of a transition; the hints below let a store
// write the common case without first reading and locking the row. A store may ignore them
// (the memory store does): the outcome is the same either way, and the contract suites
// check that it is.

// StartIntent says a change's Apply is Start(Holder, At) and nothing more whenever the
// stored row satisfies StartIsPlain. A store may then write the start as one conditional
// statement over the rows that satisfy it, and run Apply on the others.
type StartIntent struct {
	Holder string
	At     time.Time
	Worker WorkerID // the attempt log names it
}

// StartableStatuses are the statuses Start accepts.
var StartableStatuses = []Status{StatusQueued, StatusScheduled, StatusRunning}

// StartsBeyondRetries is MaxStarts minus MaxRetries: a store's conditional start compares
// attempts with max_retries plus this, as StartIsPlain does.
const StartsBeyondRetries = 1 + LostLeaseAllowance

// StartIsPlain reports whether a worker's start of t is Start alone: Start accepts t's
// status, no cancel request waits (that start would end the task instead), and one more
// start stays within MaxStarts (past it the task is failed instead). A store's one
// statement also appends to the attempt log, so it takes only starts whose log needs no
// more than that: the task is not running (a takeover closes the lost attempt first, a
// rare case left to Apply) and the log has room for one more entry.
func (t *Task) StartIsPlain() bool {
	return startable(t.Status) && t.Status != StatusRunning && !t.CancelRequested &&
		t.Attempts < t.MaxRetries+StartsBeyondRetries && len(t.AttemptLog) < MaxAttemptLog
}

// PlainStartStatuses are the statuses from which a start may be plain (StartIsPlain).
var PlainStartStatuses = []Status{StatusQueued, StatusScheduled}

func startable(s Status) bool {
	for _, v := range StartableStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// SameVersion reports whether a and b are the same stored version of a task: every field a
// transition changes is equal. A store that was given the caller's last view of a row (a
// TaskChange's Seen) may apply the change to that view and write the result only where the
// row is still that version: a compare-and-swap that needs no read. Params, Type, the
// limits and the key never change after Create, so they are not compared.
func SameVersion(a, b *Task) bool {
	return a.Status == b.Status && a.Holder == b.Holder && a.Attempts == b.Attempts &&
		a.CancelRequested == b.CancelRequested && a.UpdatedAt.Equal(b.UpdatedAt)
}
