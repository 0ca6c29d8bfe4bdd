package domain

import (
	"errors"
	"time"
)

// Deferral is what a handler returns when its task cannot make progress now but can later
// (its host is busy, the site's robots.txt is unreachable for the moment): the worker puts
// the task back as scheduled with RunAt = Until, without counting the attempt, and frees its
// slot. It is not a failure: the task's error stays as it was.
type Deferral struct {
	Until  time.Time
	Reason string // a short event-style reason for the log, e.g. "host_busy"
}

func (d *Deferral) Error() string {
	return "deferred until " + d.Until.UTC().Format(time.RFC3339Nano) + ": " + d.Reason
}

// DeferUntil returns a Deferral to time until for reason.
func DeferUntil(until time.Time, reason string) error { return &Deferral{Until: until, Reason: reason} }

// AsDeferral reports whether err asks for its task to run again later, and until when.
func AsDeferral(err error) (*Deferral, bool) {
	var d *Deferral
	if errors.As(err, &d) {
		return d, true
	}
	return nil, false
}

// Defer ends the running attempt without counting it: the task waits as scheduled until
// at, keeping the error of its last real attempt.
func (t *Task) Defer(at, now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "defer")
	}
	t.Status = StatusScheduled
	t.Holder = ""
	t.Attempts--
	t.closeAttempt(AttemptDeferred, "", now)
	t.RunAt = timePtr(at)
	t.UpdatedAt = now
	return nil
}
