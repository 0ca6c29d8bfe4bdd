package application

import (
	"time"

	"taskrunner/domain"
)

// park ends an attempt whose handler asked to wait for its children: the task is parked
// (scheduled, off the queue, attempt uncounted) and the lease acked, so no worker slot
// waits. The children may all have ended before the park was written, when nobody could
// wake the parent yet, so the worker checks once more right after writing it.
func (w *Worker) park(lease domain.Lease, task domain.Task, ran time.Duration) {
	now := w.deps.Clock.Now()
	t, ok := w.finishUpdate(lease, task, func(t *domain.Task) error { return t.AwaitChildren(lease.Token, now) })
	if !ok {
		return
	}
	w.obs.TaskFinished(t.Type, t.Status, ran)
	w.ack(lease)
	if t.Status == domain.StatusCancelled {
		w.deps.Log.Info("task_cancelled", "task_id", t.ID, "type", string(t.Type), "attempt", t.Attempts)
		return
	}
	w.deps.Log.Info("task_awaiting_children", "task_id", t.ID, "type", string(t.Type), "duration_ms", ran.Milliseconds())
	if w.deps.FanIn == nil {
		return
	}
	ctx, done := w.opCtx()
	defer done()
	if _, err := w.deps.FanIn.WakeIfDone(ctx, t.ID); err != nil {
		w.deps.Log.Warn("parent_wake_failed", "task_id", t.ID, "error", err.Error())
	}
}

// ended tells fan-in that t reached a final state, when it has a parent or may have
// children; for every other task (the hot path) it costs one comparison.
func (w *Worker) ended(t domain.Task) {
	if w.deps.FanIn == nil || !t.Status.Terminal() || (t.ParentID == "" && !t.Type.SpawnsChildren()) {
		return
	}
	ctx, done := w.opCtx()
	defer done()
	w.deps.FanIn.Ended(ctx, t)
}
