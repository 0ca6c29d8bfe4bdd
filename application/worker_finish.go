package application

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"taskrunner/domain"
)

// Store writes that end an attempt are retried this often when the store is unavailable;
// after that the lease is left to expire and the task is delivered again.
const (
	finishTries   = 3
	finishBackoff = 100 * time.Millisecond
)

// conclude turns an attempt's outcome into the task's next state, then acks or releases.
// cause is why the handler's context ended (nil when it did not).
func (w *Worker) conclude(lease domain.Lease, task domain.Task, o handlerResult, cause error, ran, limit time.Duration) {
	defer w.lateStarts.Delete(lease.Token)
	defer w.endAcks.Delete(lease.Token)
	switch {
	case errors.Is(cause, errLeaseLost):
		// Another worker holds the task now; its record and queue entry are theirs.
		return
	case errors.Is(cause, errStartRefused):
		// The record moved on while the handler ran (a cancel, most likely): nothing of
		// this attempt is written, and the next delivery finds the task as it is now.
		w.release(lease, time.Time{})
		return
	case o.err == nil && !o.abandoned:
		w.succeed(lease, task, o.res, ran)
	case errors.Is(cause, errShutdown):
		w.handBack(lease, task, ran)
	case errors.Is(cause, errCancelRequested):
		w.finishCancelled(lease, task, ran)
	case errors.Is(cause, errRuntimeExceeded):
		secs := int(limit / time.Second)
		w.deps.Log.Warn("task_killed", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts,
			"timeout_seconds", secs, "ignored_context", o.abandoned)
		err := domain.NewError(domain.CodeTaskRuntimeExceeded, "the task ran longer than its limit of %d seconds", secs).Transient()
		w.failOrRetry(lease, task, err, ran)
	case isDeferral(o.err):
		w.deferTask(lease, task, o.err, ran)
	case o.abandoned: // cannot happen: the grace only starts once the context ended
		w.failOrRetry(lease, task, errors.New("handler abandoned"), ran)
	case errors.Is(o.err, ErrAwaitChildren):
		w.park(lease, task, ran)
	default:
		w.failOrRetry(lease, task, o.err, ran)
	}
}

func (w *Worker) succeed(lease domain.Lease, task domain.Task, res json.RawMessage, ran time.Duration) {
	if len(res) == 0 {
		res = json.RawMessage("{}")
	}
	now := w.deps.Clock.Now()
	t, ok := w.finishUpdate(lease, task, func(t *domain.Task) error { return t.Succeed(res, now) })
	if !ok {
		return
	}
	if t.Status != domain.StatusSucceeded { // the result could not be stored
		w.deps.Log.Warn("task_failed", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts,
			"code", string(t.Error.Code), "message", t.Error.Message)
		w.obs.TaskFinished(t.Type, t.Status, ran)
		w.ack(lease)
		return
	}
	// Debug: a line per task costs the hot path real CPU at thousands a second.
	w.deps.Log.Debug("task_succeeded", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts,
		"duration_ms", ran.Milliseconds())
	w.obs.TaskFinished(t.Type, t.Status, ran)
	w.ack(lease)
}

// failOrRetry retries a transient failure while retries are left and fails the task
// otherwise. A cancel requested meanwhile wins over both: the client asked for it.
func (w *Worker) failOrRetry(lease domain.Lease, task domain.Task, err error, ran time.Duration) {
	te := taskError(err)
	retryable := domain.IsRetryable(err)
	if wait, ok := w.waitBeyondCap(err); retryable && ok {
		// A retry parked for the server's wait (a Retry-After of years, a spent monthly
		// quota) would sit in the queue long after anyone cares: fail now and say why.
		retryable = false
		te.Message = fmt.Sprintf("%s; the server asked to wait %ds before a retry, longer than the retry cap of %ds, so the task is not retried",
			te.Message, domain.WholeSeconds(wait), int64(w.cfg.RetryMax/time.Second))
	}
	now := w.deps.Clock.Now()
	var delay time.Duration // set afresh on each call of the update's fn
	t, ok := w.finishUpdate(lease, task, func(t *domain.Task) error {
		switch {
		case t.CancelRequested:
			return t.MarkCancelled(now)
		case retryable && t.RetriesLeft():
			// The record shows the retry as scheduled at its time, and the queue holds the
			// id until then: both from the same instant.
			delay = w.retryDelay(t.Attempts, err)
			return t.ScheduleRetry(te, now.Add(delay), now)
		default:
			return t.Fail(te, now)
		}
	})
	if !ok {
		return
	}
	w.obs.TaskFinished(t.Type, t.Status, ran)
	switch t.Status {
	case domain.StatusScheduled:
		w.work.TaskRetried(t.Type)
		w.deps.Log.Info("task_retry_scheduled", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts,
			"code", string(te.Code), "delay_ms", delay.Milliseconds(), "error", err.Error())
		w.release(lease, *t.RunAt)
	case domain.StatusCancelled:
		w.deps.Log.Info("task_cancelled", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts)
		w.ack(lease)
	default:
		w.deps.Log.Warn("task_failed", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts,
			"code", string(te.Code), "retryable", retryable, "error", err.Error())
		w.ack(lease)
	}
}

func (w *Worker) finishCancelled(lease domain.Lease, task domain.Task, ran time.Duration) {
	now := w.deps.Clock.Now()
	t, ok := w.finishUpdate(lease, task, func(t *domain.Task) error { return t.MarkCancelled(now) })
	if !ok {
		return
	}
	w.deps.Log.Info("task_cancelled", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts,
		"duration_ms", ran.Milliseconds())
	w.obs.TaskFinished(t.Type, t.Status, ran)
	w.ack(lease)
}

// handBack returns a task interrupted by shutdown to the queue, its attempt not counted.
func (w *Worker) handBack(lease domain.Lease, task domain.Task, ran time.Duration) {
	now := w.deps.Clock.Now()
	t, ok := w.giveBack(lease, task, ran, now, func(t *domain.Task) error { return t.Requeue(nil, now) })
	if !ok {
		return
	}
	w.deps.Log.Info("task_handed_back", "task_id", t.ID, "type", string(t.Type))
	w.release(lease, time.Time{})
}

// giveBack ends an attempt without a result (a deferral, a shutdown hand-back) through
// next, unless a cancel was requested meanwhile: that wins, and the cancelled task is
// logged and acked here. It reports true when next was written and the caller still has
// the lease to release.
func (w *Worker) giveBack(lease domain.Lease, task domain.Task, ran time.Duration, now time.Time,
	next func(*domain.Task) error) (domain.Task, bool) {
	t, ok := w.finishUpdate(lease, task, func(t *domain.Task) error {
		if t.CancelRequested {
			return t.MarkCancelled(now)
		}
		return next(t)
	})
	if !ok {
		return t, false
	}
	w.obs.TaskFinished(t.Type, t.Status, ran)
	if t.Status == domain.StatusCancelled {
		w.deps.Log.Info("task_cancelled", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts)
		w.ack(lease)
		return t, false
	}
	return t, true
}

// finishUpdate applies the attempt's final transition, only while this delivery still
// holds the task. It reports false when there is nothing more to do: the task was already
// finished elsewhere or taken over by a later delivery (then this delivery is acked away)
// or the store stayed unavailable (then the lease expires and the task comes back).
func (w *Worker) finishUpdate(lease domain.Lease, task domain.Task, fn func(*domain.Task) error) (domain.Task, bool) {
	held := func(fn func(*domain.Task) error) func(*domain.Task) error {
		return func(t *domain.Task) error {
			if err := t.HeldBy(lease.Token); err != nil {
				return err
			}
			if task.Progress != nil { // the last progress reported (see attemptView.settled)
				p := *task.Progress
				t.Progress = &p
			}
			return fn(t)
		}
	}
	apply := held(fn)
	var err error
	for try := 1; try <= finishTries; try++ {
		var t domain.Task
		// task is the row as this delivery's start stored it, or, while that start is not
		// written yet, as the start made it (lateChange then writes both, over the version
		// read): the store may write where the row is still that version, without reading.
		t, err = w.updateEnding(w.lateChange(lease, &task, apply), &lease)
		if err == nil {
			if t.Callback.Due() && w.deps.CallbackDue != nil {
				w.deps.CallbackDue()
			}
			w.ended(t)
			return t, true
		}
		if errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrNotFound) {
			w.deps.Log.Info("task_finish_conflict", "task_id", task.ID, "error", err.Error())
			w.ack(lease)
			return domain.Task{}, false
		}
		if errors.Is(err, domain.ErrInvalidValue) && try < finishTries {
			// The outcome holds a value the store refuses (a handler let a NUL through):
			// writing it again fails the same way and the task would come back after every
			// lease until it is lost too often. Fail it now, saying why.
			w.deps.Log.Error("task_result_unstorable", "task_id", task.ID, "type", string(task.Type), "error", err.Error())
			now := w.deps.Clock.Now()
			apply = held(func(t *domain.Task) error {
				return t.Fail(domain.TaskError{Code: domain.CodeInternal,
					Message: "the task's outcome holds a value the record cannot store"}, now)
			})
			continue
		}
		if !errors.Is(err, domain.ErrUnavailable) || !sleepOrDone(w.abortCtx, finishBackoff*time.Duration(try)) {
			break
		}
	}
	w.deps.Log.Error("task_finish_failed", "task_id", task.ID, "type", string(task.Type), "error", err.Error())
	return domain.Task{}, false
}

// retryDelay is the backoff for retry number attempt, never earlier than the error's
// RetryAfter (a provider's Retry-After) and never later than RetryMax: failOrRetry fails
// at once a task whose server asks for more than that.
func (w *Worker) retryDelay(attempt int, err error) time.Duration {
	d := domain.Backoff(attempt, w.cfg.RetryBase, w.cfg.RetryMax, rand.Float64())
	var e *domain.Error
	if errors.As(err, &e) {
		d = max(d, e.RetryAfter)
	}
	return min(d, w.cfg.RetryMax)
}

// waitBeyondCap reports the wait a server asked for, and whether it exceeds RetryMax. A
// wait too long for a Duration arrives saturated (domain.RetryAfterSeconds), so a
// century-long Retry-After compares as the long wait it is.
func (w *Worker) waitBeyondCap(err error) (time.Duration, bool) {
	var e *domain.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	return e.RetryAfter, e.RetryAfter > w.cfg.RetryMax
}

// taskError is what clients see of a failure: the code and message of a domain.Error; for
// anything else a generic internal error (the real one goes only to the log).
func taskError(err error) domain.TaskError {
	var e *domain.Error
	if errors.As(err, &e) {
		return domain.TaskError{Code: e.Code, Message: e.Message}
	}
	return domain.TaskError{Code: domain.CodeInternal, Message: "the task failed with an internal error"}
}

func (w *Worker) ack(lease domain.Lease) {
	var err error
	if v, ok := w.endAcks.LoadAndDelete(lease.Token); ok {
		err = v.(endAck).err // acked by the flush that wrote the task's end
	} else if w.batches != nil {
		var lost error
		lost, err = w.batches.acks.do(w.abortCtx, lease)
		if err == nil {
			err = lost
		}
	} else {
		ctx, done := w.opCtx()
		defer done()
		err = w.deps.Queue.Ack(ctx, lease)
	}
	if err != nil {
		w.deps.Log.Warn("task_ack_failed", "task_id", lease.TaskID, "error", err.Error())
	}
}

func (w *Worker) release(lease domain.Lease, notBefore time.Time) {
	ctx, done := w.opCtx()
	defer done()
	if err := w.deps.Queue.Release(ctx, lease, notBefore); err != nil {
		w.deps.Log.Warn("task_release_failed", "task_id", lease.TaskID, "error", err.Error())
	}
}
