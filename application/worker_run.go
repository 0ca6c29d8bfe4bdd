package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"taskrunner/domain"
)

// handlerResult is what a handler's goroutine hands back.
type handlerResult struct {
	res       json.RawMessage
	err       error
	abandoned bool // the handler ignored its ended context for KillGrace; nobody waits for it
}

// deliver handles one leased task id to the end; pre is its task as the dequeue read it,
// or nil. It returns false when the store failed, so
// the loop backs off.
func (w *Worker) deliver(lease domain.Lease, pre *readResult) bool {
	if w.hardCtx.Err() != nil { // dequeued while shutting down: give it straight back
		w.release(lease, time.Time{})
		return true
	}
	// The cancel hook is registered before the task is marked running: a cancel request
	// that lands after our Start is published after it too, so the listener finds the hook;
	// one that lands before is seen by Start itself (CancelRequested).
	ctx, cancel := context.WithCancelCause(w.hardCtx)
	defer cancel(nil)
	hook := &inflight{cancel: cancel, view: &attemptView{token: lease.Token}}
	w.inflight.Store(lease.TaskID, hook)
	defer w.inflight.CompareAndDelete(lease.TaskID, hook)

	task, err := w.begin(lease, pre)
	switch {
	case errors.Is(err, domain.ErrConflict):
		// Already finished: a duplicate delivery (e.g. an ack lost after the result was
		// written). Never run it to a second result.
		w.deps.Log.Info("task_duplicate_skipped", "task_id", lease.TaskID)
		w.ack(lease)
		return true
	case errors.Is(err, domain.ErrNotFound):
		w.deps.Log.Warn("task_missing", "task_id", lease.TaskID)
		w.ack(lease)
		return true
	case err != nil:
		w.deps.Log.Warn("task_start_failed", "task_id", lease.TaskID, "error", err.Error())
		w.release(lease, w.deps.Clock.Now().Add(w.cfg.RetryBase))
		return false
	}
	if tookOver(task) {
		w.work.TaskRedelivered(task.Type)
	}
	w.ended(task)
	switch task.Status {
	case domain.StatusCancelled:
		w.deps.Log.Info("task_cancelled", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts)
		w.obs.TaskFinished(task.Type, task.Status, 0)
		w.ack(lease)
		return true
	case domain.StatusFailed:
		w.deps.Log.Warn("task_failed", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts,
			"code", string(task.Error.Code), "message", task.Error.Message)
		w.obs.TaskFinished(task.Type, task.Status, 0)
		w.ack(lease)
		return true
	}
	hook.view.began(task)
	if w.parentCancelled(ctx, task) {
		cancel(errCancelRequested) // the handler starts on an ended context: a cancel, at once
	}
	w.run(withProgress(ctx, hook.view), cancel, lease, hook.view)
	return true
}

// parentCancelled reports whether t is a child whose parent was cancelled. Cancelling a
// parent cancels its children (FanIn.CancelChildren), but a process that dies between the
// two leaves children queued or running; this check, at a child's start and at each of
// its heartbeats, ends them as the cancel would have. Only children pay the read.
func (w *Worker) parentCancelled(ctx context.Context, t domain.Task) bool {
	if t.ParentID == "" {
		return false
	}
	opCtx, done := context.WithTimeout(ctx, w.cfg.OpTimeout)
	defer done()
	parent, err := w.deps.Store.Get(opCtx, t.ParentID)
	if err != nil {
		return false // unknown: the child runs; the next heartbeat asks again
	}
	if parent.Status == domain.StatusCancelled {
		w.deps.Log.Info("task_parent_cancelled", "task_id", t.ID, "parent_id", t.ParentID)
		return true
	}
	return false
}

// start marks the task running, held by this delivery, in one conditional write, and in
// the same write ends it when a cancel was requested or workers have lost it too often.
func (w *Worker) start(lease domain.Lease) (domain.Task, error) {
	now := w.deps.Clock.Now()
	// Apply below is Start alone when StartIsPlain
	start := &domain.StartIntent{Holder: lease.Token, At: now, Worker: w.deps.Identity}
	return w.update(domain.TaskChange{ID: lease.TaskID, Start: start, Apply: func(t *domain.Task) error {
		if err := t.StartBy(lease.Token, w.deps.Identity, now); err != nil {
			return err
		}
		if t.CancelRequested {
			return t.MarkCancelled(now)
		}
		if t.StartsExhausted() {
			return t.Fail(domain.LostTooOften(t), now)
		}
		return nil
	}})
}

// run executes the handler under the runtime limit and records the outcome.
func (w *Worker) run(ctx context.Context, cancel context.CancelCauseFunc, lease domain.Lease, view *attemptView) {
	task := view.snapshot()
	h, ok := w.deps.Handlers[task.Type]
	if !ok {
		err := domain.NewError(domain.CodeInternal, "this worker has no handler for task type %q", task.Type)
		w.conclude(lease, task, handlerResult{err: err}, nil, 0, 0)
		return
	}
	limit := runtimeLimit(task, w.deps.Limits)
	runCtx, stop := context.WithTimeoutCause(ctx, limit, errRuntimeExceeded)
	defer stop()
	// Debug: a line per task costs the hot path real CPU at thousands a second.
	w.deps.Log.Debug("task_started", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts)
	began := w.deps.Clock.Now()
	w.work.TasksInFlight(task.Type, 1)
	o := w.execute(runCtx, cancel, lease, view, h)
	w.work.TasksInFlight(task.Type, -1)
	// The record as the last beat stored it, and the progress reported since: the finish
	// writes the outcome over that version, progress included.
	task = view.settled()
	w.concludeAsync(lease, task, o, context.Cause(runCtx), w.deps.Clock.Now().Sub(began), limit)
}

// execute runs the handler in its own goroutine so that a handler ignoring its context
// cannot hold the worker: once the context ends the worker waits KillGrace more, then
// abandons it. The heartbeat is a timer in this same select, so a task shorter than one
// heartbeat costs no extra goroutine or call.
func (w *Worker) execute(ctx context.Context, cancel context.CancelCauseFunc, lease domain.Lease, view *attemptView, h Handler) handlerResult {
	task := view.snapshot()
	done := make(chan handlerResult, 1) // buffered: an abandoned handler can still finish and exit
	go func() {
		defer func() {
			if r := recover(); r != nil {
				w.deps.Log.Error("task_panicked", "task_id", task.ID, "type", string(task.Type),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				done <- handlerResult{err: fmt.Errorf("handler panicked: %v", r)}
			}
		}()
		res, err := h.Run(ctx, task)
		done <- handlerResult{res: res, err: err}
	}()

	beat := time.NewTimer(w.cfg.Heartbeat)
	defer beat.Stop()
	var lateC <-chan time.Time // the start left to be written late, when the handler outlasts StartDelay
	if w.lateStart(lease) != nil {
		late := time.NewTimer(w.cfg.StartDelay)
		defer late.Stop()
		lateC = late.C
	}
	ended := ctx.Done()
	var grace *time.Timer
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	var graceC <-chan time.Time // nil, so never ready, until the context ends
	for {
		select {
		case o := <-done:
			return o
		case <-lateC:
			lateC = nil
			w.writeLateStart(cancel, lease, view)
		case <-beat.C:
			w.heartbeat(cancel, lease, task)
			beat.Reset(w.cfg.Heartbeat)
		case <-ended:
			ended = nil
			grace = time.NewTimer(w.cfg.KillGrace)
			graceC = grace.C
		case <-graceC:
			return handlerResult{abandoned: true}
		}
	}
}

// heartbeat extends the lease and re-reads the record, so a cancel whose signal was lost
// still lands within about one heartbeat, and a run whose task another delivery has taken
// over (this one's lease lapsed while the queue was unreachable) stops within one too.
func (w *Worker) heartbeat(cancel context.CancelCauseFunc, lease domain.Lease, task domain.Task) {
	ctx, done := context.WithTimeout(w.abortCtx, min(w.cfg.Heartbeat, w.cfg.OpTimeout))
	defer done()
	err := w.deps.Queue.Extend(ctx, lease, w.cfg.Lease)
	if errors.Is(err, domain.ErrLeaseLost) {
		w.deps.Log.Warn("task_lease_lost", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts)
		cancel(errLeaseLost)
		return
	}
	if err != nil {
		w.deps.Log.Warn("task_heartbeat_failed", "task_id", task.ID, "error", err.Error())
	}
	cur, err := w.deps.Store.Get(ctx, task.ID)
	switch {
	case err != nil:
	case cur.HeldBy(lease.Token) != nil:
		w.deps.Log.Warn("task_lease_lost", "task_id", task.ID, "type", string(task.Type), "attempt", task.Attempts,
			"status", string(cur.Status))
		cancel(errLeaseLost)
	case cur.CancelRequested, w.parentCancelled(ctx, cur):
		cancel(errCancelRequested)
	}
}

// runtimeLimit is min(task timeout, TASK_MAX_RUNTIME_SECONDS), whichever is set.
func runtimeLimit(t domain.Task, l domain.Limits) time.Duration {
	d := t.Timeout()
	if max := l.TaskMaxRuntime(); max > 0 && (d <= 0 || d > max) {
		d = max
	}
	if d <= 0 {
		d = domain.DefaultLimits().TaskMaxRuntime()
	}
	return d
}

// pendingOutcomes is how many finished attempts may wait for their write and ack at once:
// two batches' worth, so that while one batch of outcomes is being written the next forms
// in full and the loops go on taking tasks. With as many as the loops (one batch), the
// loops stopped whenever the write in flight held most of them, and a queue filled faster
// than the worker drained it: make bench-services, 3 alternating pairs, 6,574 / 6,565 /
// 6,995 tasks/s against 6,425 / 5,611 / 6,410, submit-to-finished p50 12-15 ms against
// 153-223 ms, CPU per task 246-280 µs against 264-308. Each holds one attempt's outcome,
// so the worker's memory for results waiting to be written is bounded by twice its
// concurrency.
func pendingOutcomes(concurrency int) int { return 2 * concurrency }

// concludeAsync records the attempt's outcome without holding the loop: the loop goes back
// for its next task while the outcome's write and ack wait for their batch (River's
// asynchronous completer, here built on the same group commit). The lease is still held
// until that write commits, and the ack follows it, so nothing about the guarantees
// changes; a slot of completions bounds how many wait at once, and Stop waits for them
// (they count in loops).
func (w *Worker) concludeAsync(lease domain.Lease, task domain.Task, o handlerResult, cause error, ran, limit time.Duration) {
	w.completions <- struct{}{}
	w.loops.Add(1)
	go func() {
		defer w.loops.Done()
		defer func() { <-w.completions }()
		w.conclude(lease, task, o, cause, ran, limit)
	}()
}
