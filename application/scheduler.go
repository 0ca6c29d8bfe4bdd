package application

import (
	"context"
	"errors"
	"time"

	"taskrunner/domain"
)

// Scheduler defaults.
const (
	// DefaultSchedulerMaxWait caps the sleep between looks at the store: a schedule
	// created or changed by another process is seen within it, so even its first due time
	// is met within a second (API.md).
	DefaultSchedulerMaxWait = 500 * time.Millisecond
	// DefaultSchedulerFireTimeout bounds one firing: the claim, the submit, the write.
	DefaultSchedulerFireTimeout = 30 * time.Second
	// DefaultSchedulerBurst bounds the firings of one pass, so a pass always ends and
	// the loop stays cancellable between passes.
	DefaultSchedulerBurst = 100
	// schedulerBusyWait is the shortest sleep: when the earliest due schedule is being
	// fired by another process, the loop looks again shortly rather than spinning.
	schedulerBusyWait = 20 * time.Millisecond
)

// SchedulerConfig tunes the scheduler; zero values take the defaults.
type SchedulerConfig struct {
	MaxWait     time.Duration
	FireTimeout time.Duration
	Burst       int
}

// Scheduler fires due schedules. Any number may run (one per worker process): the store
// hands each due time to one of them (ports.ScheduleStore.FireDue), and the task of a due
// time carries an idempotency key made from it, so a scheduler that dies after the submit
// and before its write leaves a task the next one finds instead of firing again.
type Scheduler struct {
	deps ScheduleDeps
	cfg  SchedulerConfig

	bg background
}

// NewScheduler returns a scheduler, or an error naming a missing dependency.
func NewScheduler(d ScheduleDeps, cfg SchedulerConfig) (*Scheduler, error) {
	if err := d.check("scheduler"); err != nil {
		return nil, err
	}
	if cfg.MaxWait < 0 || cfg.FireTimeout < 0 || cfg.Burst < 0 {
		return nil, errors.New("application: scheduler settings must not be negative")
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = DefaultSchedulerMaxWait
	}
	if cfg.FireTimeout == 0 {
		cfg.FireTimeout = DefaultSchedulerFireTimeout
	}
	if cfg.Burst == 0 {
		cfg.Burst = DefaultSchedulerBurst
	}
	return &Scheduler{deps: d, cfg: cfg}, nil
}

// Start runs the loop in the background until Stop.
func (r *Scheduler) Start(ctx context.Context) error {
	return r.bg.start(ctx, "scheduler", r.run)
}

// Stop ends the loop and waits for a firing under way to finish or give up. It is
// idempotent and safe before Start.
func (r *Scheduler) Stop(ctx context.Context) error {
	return r.bg.halt(ctx)
}

func (r *Scheduler) run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
		case <-ctx.Done():
			return
		}
		wait := r.cfg.MaxWait
		if _, err := r.RunDue(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			r.deps.Log.Warn("schedule_pass_failed", "error", err.Error())
		} else {
			wait = r.untilNextDue(ctx)
		}
		timer.Reset(wait)
	}
}

// untilNextDue is how long to sleep: until the earliest planned due time, at least
// schedulerBusyWait and at most MaxWait.
func (r *Scheduler) untilNextDue(ctx context.Context) time.Duration {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.FireTimeout)
	defer cancel()
	next, ok, err := r.deps.Store.NextDue(ctx)
	if err != nil || !ok {
		return r.cfg.MaxWait
	}
	return min(max(next.Sub(r.deps.Clock.Now()), schedulerBusyWait), r.cfg.MaxWait)
}

// RunDue fires every schedule due now (up to Burst of them) and returns how many it
// handled, fired or skipped. It stops at the first error, which it returns.
func (r *Scheduler) RunDue(ctx context.Context) (int, error) {
	n := 0
	for n < r.cfg.Burst {
		ok, err := r.fireOne(ctx)
		if err != nil || !ok {
			return n, err
		}
		n++
	}
	return n, nil
}

func (r *Scheduler) fireOne(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.FireTimeout)
	defer cancel()
	_, ok, err := r.deps.Store.FireDue(ctx, r.deps.Clock.Now(), func(sc *domain.Schedule) error {
		return r.fire(ctx, sc)
	})
	return ok, err
}
