package application

import (
	"context"
	"errors"
	"time"

	"taskrunner/domain"
)

// scheduleKeyScope is the idempotency scope of fired tasks: it keeps the keys of due
// times apart from every client's keys (see scopedKey).
const scheduleKeyScope = "schedule"

// fire handles one due time of sc, which the store holds for the call: it submits the
// schedule's task (or skips the due time while the last task runs, under overlap skip)
// and moves NextRunAt to the first due time after now. After downtime that is one firing,
// then the next future slot, never one per missed slot. An error leaves sc as it was, due
// again, for the next pass.
func (r *Scheduler) fire(ctx context.Context, sc *domain.Schedule) error {
	now := r.deps.Clock.Now()
	due := *sc.NextRunAt
	rec, err := recurrence(r.deps.Cron, sc)
	if err != nil {
		// It parsed when it was stored; if it no longer does (a zone dropped from the tz
		// database), the schedule stops rather than failing every pass.
		r.deps.Log.ErrorContext(ctx, "schedule_fire_failed", "schedule_id", sc.ID, "error", err.Error())
		sc.NextRunAt, sc.UpdatedAt = nil, now
		return nil
	}
	if sc.Overlap == domain.OverlapSkip && sc.LastTaskID != "" {
		busy, err := r.unfinished(ctx, sc.LastTaskID)
		if err != nil {
			return err
		}
		if busy {
			sc.Skipped(rec, now)
			r.deps.Log.InfoContext(ctx, "schedule_skipped", "schedule_id", sc.ID,
				"due_at", due, "last_task_id", sc.LastTaskID)
			return nil
		}
	}
	t, created, err := r.submit(ctx, sc, due)
	switch code := domain.CodeOf(err); {
	case err == nil:
	case code == domain.CodeInvalidRequest || code == domain.CodeInvalidParams:
		// The stored request no longer passes (the limits changed since): this due time
		// cannot fire, the next may once the request or the limits are fixed.
		sc.Skipped(rec, now)
		r.deps.Log.WarnContext(ctx, "schedule_fire_failed", "schedule_id", sc.ID, "due_at", due, "error", err.Error())
		return nil
	default:
		return err
	}
	sc.Fired(rec, t.ID, now)
	r.deps.Log.InfoContext(ctx, "schedule_fired", "schedule_id", sc.ID, "task_id", t.ID, "due_at", due,
		"late_ms", now.Sub(due).Milliseconds(), "created", created)
	return nil
}

// submit sends sc's task through the normal submit path (validation, record, queue
// push), keyed by the due time; created is false when an earlier attempt at this due time
// had already made the task.
func (r *Scheduler) submit(ctx context.Context, sc *domain.Schedule, due time.Time) (domain.Task, bool, error) {
	in, err := r.deps.Decode(sc.Task)
	if err != nil {
		return domain.Task{}, false, err
	}
	in.ScheduleID = sc.ID
	in.ClientID = "schedule:" + sc.ID
	in.IdempotencyScope = scheduleKeyScope
	in.IdempotencyKey = domain.ScheduleSlotKey(sc.ID, due)
	return r.deps.Tasks.submit(ctx, in, false)
}

// unfinished reports whether the task is still to finish. A task that no longer exists
// (deleted by retention) is finished.
func (r *Scheduler) unfinished(ctx context.Context, taskID string) (bool, error) {
	t, err := r.deps.Tasks.Get(ctx, taskID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !t.Status.Terminal(), nil
}
