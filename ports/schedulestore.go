package ports

import (
	"context"
	"time"

	"taskrunner/domain"
)

// ScheduleStore keeps the periodic schedules and hands each due time to exactly one
// firing caller, however many processes ask at once.
type ScheduleStore interface {
	// Create stores a new schedule (its ID is fresh).
	Create(ctx context.Context, s domain.Schedule) error
	// Get returns the schedule, or an error matching domain.ErrNotFound.
	Get(ctx context.Context, id string) (domain.Schedule, error)
	// List returns at most limit schedules ordered by id ascending (oldest first); an
	// empty store returns an empty slice.
	List(ctx context.Context, limit int) ([]domain.Schedule, error)
	// Update loads the schedule, calls fn on a copy, and stores the copy only if fn returns
	// nil, atomically (no FireDue or Update of the same schedule runs in between). It
	// returns the stored schedule; fn's error unchanged; or domain.ErrNotFound.
	Update(ctx context.Context, id string, fn func(*domain.Schedule) error) (domain.Schedule, error)
	// Delete removes the schedule, or returns an error matching domain.ErrNotFound.
	Delete(ctx context.Context, id string) error
	// FireDue takes one enabled schedule whose NextRunAt is at or before now and that no
	// other FireDue call holds (earliest NextRunAt first), and calls fn on a copy while
	// holding it, so no other caller can fire or change it meanwhile. When fn returns nil
	// the copy is stored and returned with ok == true; fn's error is returned unchanged
	// and nothing is stored. When no schedule is due it returns ok == false without
	// calling fn. fn must move NextRunAt past now (or the schedule is due again at once)
	// and must not call the store.
	FireDue(ctx context.Context, now time.Time, fn func(*domain.Schedule) error) (fired domain.Schedule, ok bool, err error)
	// NextDue returns the earliest NextRunAt of the enabled schedules, or ok == false when
	// none is planned: what the scheduler sleeps until.
	NextDue(ctx context.Context) (next time.Time, ok bool, err error)
}

// CronParser turns a cron expression into a domain.Recurrence.
type CronParser interface {
	// Parse reads expr (five fields, or a descriptor such as @hourly, @daily or
	// "@every 30s") whose times are in loc. A malformed expression returns an error saying
	// what is wrong with it (the caller names the field); it never panics.
	Parse(expr string, loc *time.Location) (domain.Recurrence, error)
}
