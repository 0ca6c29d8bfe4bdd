package domain

import "time"

// Priorities of API.md: 1 is the highest, 4 the lowest; a task asks for none gets 2.
const (
	MinPriority     = 1
	MaxPriority     = 4
	DefaultPriority = 2
)

// MaxDelaySeconds is the furthest ahead a task may be deferred (30 days), by delay_seconds
// or run_at alike: a queue entry and a record row are cheap, but nothing from outside
// should park work without a bound.
const MaxDelaySeconds = 2_592_000

// ResolvePriority returns the requested priority, DefaultPriority when none was asked
// for, or task_rejected_invalid_params naming priority.
func ResolvePriority(requested *int) (int, error) {
	if requested == nil {
		return DefaultPriority, nil
	}
	if *requested < MinPriority || *requested > MaxPriority {
		return 0, InvalidParams("priority", "priority must be between %d (highest) and %d, got %d", MinPriority, MaxPriority, *requested)
	}
	return *requested, nil
}

// ResolveRunAt turns a submission's run_at (RFC 3339, "" for none) or delay_seconds (nil
// for none) into the time the task is due. It returns nil when the task is due now: no
// deferral was asked for, or the time asked for is not after now (a past run_at means
// now). Both at once, a malformed run_at, or a time beyond MaxDelaySeconds from now is
// task_rejected_invalid_params naming the field.
func ResolveRunAt(runAt string, delaySeconds *int, now time.Time) (*time.Time, error) {
	var due time.Time
	switch {
	case runAt != "" && delaySeconds != nil:
		return nil, InvalidParams("delay_seconds", "give run_at or delay_seconds, not both")
	case delaySeconds != nil:
		if *delaySeconds < 0 || *delaySeconds > MaxDelaySeconds {
			return nil, InvalidParams("delay_seconds", "delay_seconds must be between 0 and %d, got %d", MaxDelaySeconds, *delaySeconds)
		}
		due = now.Add(time.Duration(*delaySeconds) * time.Second)
	case runAt != "":
		t, err := time.Parse(time.RFC3339, runAt)
		if err != nil {
			return nil, InvalidParams("run_at", "run_at must be an RFC 3339 time such as 2030-01-02T15:04:05Z, got %q", runAt)
		}
		if t.After(now.Add(MaxDelaySeconds * time.Second)) {
			return nil, InvalidParams("run_at", "run_at may be at most %d seconds (30 days) ahead", MaxDelaySeconds)
		}
		due = t.UTC()
	default:
		return nil, nil
	}
	if !due.After(now) {
		return nil, nil
	}
	// Microseconds: the precision PostgreSQL keeps, so the record and the queue agree.
	due = due.Truncate(time.Microsecond)
	return &due, nil
}

// QueueItem is what puts t on the queue: due at RunAt while it is scheduled (now
// otherwise), in its priority's lane.
func (t *Task) QueueItem() QueueItem {
	item := QueueItem{TaskID: t.ID, Priority: t.Priority}
	if t.Status == StatusScheduled && t.RunAt != nil {
		item.NotBefore = *t.RunAt
	}
	return item
}
