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
// is no longer the version the delivery read (cancelled, finished, or started by another
// delivery meanwhile): that delivery's handler ran on a view the record moved past, and
// its outcome is not written.
func (s *LateStart) Apply(t *Task) error {
	if !SameVersion(t, &s.Seen) {
		return NewError(CodeTaskAlreadyFinished, "task %s changed while this delivery ran it (it is %s)", t.ID, t.Status).
			WithCause(ErrConflict)
	}
	return t.StartBy(s.Holder, s.Worker, s.At)
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
