package domain

import "time"

// A worker may run a task before its start is written: it reads the row, runs the
// handler, and writes the start with the outcome in one statement when the handler ends
// quickly (or the start alone once it has run a little while). The record never shows a
// start that did not happen, and the start it shows is exactly the one Start would have
// written at the instant the handler began; only its timing differs. LateStart is that
// start, applied to whatever row the write finds.

// LateStart is a start begun at At by the delivery Holder of worker Worker on the version
// Seen of the task (a plain start: Seen.StartIsPlain held).
type LateStart struct {
	Seen   Task
	Holder string
	Worker WorkerID
	At     time.Time
}

// Apply starts t as the delivery began it, or refuses with an ErrConflict error when t
// moved on from the version the delivery read (cancelled, finished, or started by another
// delivery meanwhile): that delivery's handler ran on a view the record has left behind,
// and its outcome is not written. The one change it lets pass is the promoter's: a
// scheduled task found due and marked queued meanwhile is the same task waiting for the
// same attempt (the queue hands out a due id whether or not the record was promoted yet).
func (s *LateStart) Apply(t *Task) error {
	if !s.sameAttempt(t) {
		return NewError(CodeTaskAlreadyFinished, "task %s changed while this delivery ran it (it is %s)", t.ID, t.Status).
			WithCause(ErrConflict)
	}
	return t.StartBy(s.Holder, s.Worker, s.At)
}

// sameAttempt reports whether t still waits for the attempt the delivery made: queued
// or scheduled as read (or promoted since), no cancel requested, and no start or
// hand-back since (the attempt count and the log's length are as read).
func (s *LateStart) sameAttempt(t *Task) bool {
	if SameVersion(t, &s.Seen) {
		return true
	}
	promoted := s.Seen.Status == StatusScheduled && t.Status == StatusQueued
	return promoted && !t.CancelRequested && t.Holder == "" && t.Attempts == s.Seen.Attempts &&
		len(t.AttemptLog) == len(s.Seen.AttemptLog)
}

// Then is the late start followed by fn: the change that writes the start and an
// attempt's outcome together.
func (s *LateStart) Then(fn func(*Task) error) func(*Task) error {
	return func(t *Task) error {
		if err := s.Apply(t); err != nil {
			return err
		}
		return fn(t)
	}
}
