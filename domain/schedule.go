package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Overlap says what a schedule does when a due time comes while the task it fired last
// has not finished yet.
type Overlap string

// Overlap policies: OverlapSkip lets that due time pass without a task (the default, so a
// slow task never piles up copies of itself); OverlapAllow fires regardless.
const (
	OverlapAllow Overlap = "allow"
	OverlapSkip  Overlap = "skip"
)

// Bounds of a schedule's fields, so nothing a client sends costs without limit.
const (
	MaxScheduleNameLen = 200
	MaxCronLen         = 200
	MaxTimezoneLen     = 64
	// MaxSchedules caps how many schedules exist: GET /schedules returns them all, and the
	// scheduler scans the due ones.
	MaxSchedules = 1000
	// MinEveryInterval is the shortest "@every" interval (API.md): a schedule fires at
	// most once a second.
	MinEveryInterval = time.Second
)

// Recurrence is a parsed cron expression in its time zone.
type Recurrence interface {
	// Next returns the first due time strictly after after, in UTC, or the zero time when
	// there is none (an expression that never matches again).
	Next(after time.Time) time.Time
}

// Schedule fires a task request on a cron expression. Task is the task request as the API
// accepted it (a JSON object, validated when stored); it goes through the same submit path
// as a POST /tasks each time the schedule fires.
type Schedule struct {
	ID       string
	Name     string
	Cron     string
	Timezone string // IANA name; "UTC" by default
	Task     json.RawMessage
	Enabled  bool
	Overlap  Overlap
	// NextRunAt is the due time the scheduler fires next; nil while disabled (or when the
	// expression never matches again).
	NextRunAt  *time.Time
	LastRunAt  *time.Time // when it last fired a task; nil before the first
	LastTaskID string     // the task it fired last; "" before the first
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Clone returns a deep copy, as Task.Clone does: stores hand out clones.
func (s Schedule) Clone() Schedule {
	c := s
	c.Task = slices.Clone(s.Task)
	if s.NextRunAt != nil {
		c.NextRunAt = timePtr(*s.NextRunAt)
	}
	if s.LastRunAt != nil {
		c.LastRunAt = timePtr(*s.LastRunAt)
	}
	return c
}

// Plan sets NextRunAt to the first due time after now, or nil while the schedule is
// disabled. An enabled expression that never matches is refused (422 naming cron): a
// schedule that can never fire is a mistake, not a choice.
func (s *Schedule) Plan(r Recurrence, now time.Time) error {
	s.NextRunAt = nil
	if !s.Enabled {
		return nil
	}
	next := r.Next(now)
	if next.IsZero() {
		return InvalidParams("cron", "cron expression %q never matches a future time", s.Cron)
	}
	s.NextRunAt = timePtr(next.UTC())
	return nil
}

// Fired records that the schedule fired taskID at now and moves NextRunAt to the first due
// time after now. Computing from now rather than from the due time is what makes a
// schedule fire once after downtime instead of once per missed slot.
func (s *Schedule) Fired(r Recurrence, taskID string, now time.Time) {
	s.LastRunAt = timePtr(now)
	s.LastTaskID = taskID
	s.Skipped(r, now)
}

// Skipped moves NextRunAt past now without firing: the due time passes without a task.
func (s *Schedule) Skipped(r Recurrence, now time.Time) {
	s.UpdatedAt = now
	s.NextRunAt = nil
	if next := r.Next(now); !next.IsZero() {
		s.NextRunAt = timePtr(next.UTC())
	}
}

// ScheduleSlotKey is the idempotency key of the task a schedule fires for one due time:
// a process that fired the slot and died before advancing the schedule leaves a task
// that the next attempt finds by this key instead of creating a second one.
func ScheduleSlotKey(scheduleID string, due time.Time) string {
	return scheduleID + "@" + due.UTC().Format(time.RFC3339Nano)
}

// CheckScheduleName validates a schedule's name: required, bounded, storable.
func CheckScheduleName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return InvalidParams("name", "name is required")
	case len(name) > MaxScheduleNameLen:
		return InvalidParams("name", "name may be at most %d bytes", MaxScheduleNameLen)
	}
	return CheckText("name", name)
}

// ParseOverlap returns the overlap policy named by s; "" is the default, skip.
func ParseOverlap(s string) (Overlap, error) {
	switch Overlap(s) {
	case "":
		return OverlapSkip, nil
	case OverlapAllow, OverlapSkip:
		return Overlap(s), nil
	}
	return "", InvalidParams("overlap", "overlap must be %q or %q, got %q", OverlapAllow, OverlapSkip, s)
}

// LoadTimezone resolves an IANA zone name; "" is UTC. "Local" is refused: it would mean
// whatever zone the machine that happens to fire the schedule is set to.
func LoadTimezone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if len(name) > MaxTimezoneLen || CheckText("timezone", name) != nil || name == "Local" {
		return nil, InvalidParams("timezone", "timezone must be an IANA zone name such as \"Europe/Berlin\"")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, InvalidParams("timezone", "unknown timezone %q: use an IANA zone name such as \"Europe/Berlin\"", name)
	}
	return loc, nil
}

// CheckCronText applies the rules a cron expression must meet before it is parsed:
// required, bounded, no zone prefix (the zone is the timezone field's), and an "@every"
// interval of whole seconds, at least MinEveryInterval. The syntax itself is the cron
// parser's (ports.CronParser).
func CheckCronText(expr string) error {
	trimmed := strings.TrimSpace(expr)
	switch {
	case trimmed == "":
		return InvalidParams("cron", "cron is required")
	case len(expr) > MaxCronLen:
		return InvalidParams("cron", "cron may be at most %d bytes", MaxCronLen)
	case CheckText("cron", expr) != nil:
		return InvalidParams("cron", "cron must be valid UTF-8 text without NUL")
	case strings.HasPrefix(trimmed, "TZ=") || strings.HasPrefix(trimmed, "CRON_TZ="):
		return InvalidParams("cron", "cron may not carry a time zone; set the timezone field instead")
	}
	interval, ok := strings.CutPrefix(trimmed, "@every ")
	if !ok {
		return nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(interval))
	switch {
	case err != nil:
		return InvalidParams("cron", "@every needs a duration such as 30s, 5m or 1h: %q", interval)
	case d < MinEveryInterval:
		return InvalidParams("cron", "@every interval must be at least %s, got %s", MinEveryInterval, d)
	case d%time.Second != 0:
		return InvalidParams("cron", "@every interval must be a whole number of seconds, got %s", d)
	}
	return nil
}
