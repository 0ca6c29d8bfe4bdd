package application

import (
	"context"
	"errors"

	"taskrunner/domain"
)

// Late starts (domain.LateStart): with the batch ports, a delivery whose start is plain is
// read, not written, before its handler runs. A handler that ends within StartDelay has
// its start written with its outcome, in one statement; one that runs longer has its start
// written alone at StartDelay, and goes on as any started task. Most tasks of a busy
// queue are short, so this takes one of the three writes of a task off the hot path.
//
// What the record says stays true: it never shows a start that did not happen, and a
// start it shows is the one the delivery made, at the instant its handler began. What
// changes is when a start becomes visible: up to StartDelay late, or only with the outcome
// for a short task. The attempt count holds too: a delivery whose earlier lease lapsed
// (lease.Redelivered: its worker may have died inside a handler before writing anything)
// writes its start before it runs, so a task that kills its worker is still counted
// and, past its allowance, failed as lost too often; at most its first attempt goes
// uncounted.

// errStartRefused: the start written late found the task changed (cancelled, or the store
// refused the write); the handler's outcome is not written.
var errStartRefused = errors.New("task start refused")

// begin readies a delivery's task to run: started in memory only when the dequeue's flush
// read it (read, with the batch ports; see flushFetch) and its start is plain; started in
// the record first otherwise (see start).
func (w *Worker) begin(lease domain.Lease, read *readResult) (domain.Task, error) {
	if read == nil || lease.Redelivered {
		return w.start(lease)
	}
	if read.err != nil {
		return domain.Task{}, read.err
	}
	if !read.task.StartIsPlain() {
		return w.start(lease) // a cancel, a takeover, a duplicate: the record decides
	}
	ls := &domain.LateStart{Seen: read.task, Holder: lease.Token, Worker: w.deps.Identity, At: w.deps.Clock.Now()}
	task := read.task.Clone()
	if err := ls.Apply(&task); err != nil {
		return w.start(lease)
	}
	w.lateStarts.Store(lease.Token, ls)
	return task, nil
}

// readResult is one delivery's share of a batch read.
type readResult struct {
	task domain.Task
	err  error
}

// readMany reads the tasks with ids in one call, a result per id.
func (w *Worker) readMany(base context.Context, ids []string) []readResult {
	out := make([]readResult, len(ids))
	ctx, done := context.WithTimeout(base, w.cfg.OpTimeout)
	defer done()
	tasks, err := w.deps.Batch.GetMany(ctx, ids)
	byID := make(map[string]int, len(tasks))
	for i := range tasks {
		byID[tasks[i].ID] = i
	}
	for k, id := range ids {
		i, ok := byID[id]
		switch {
		case err != nil:
			out[k].err = err
		case !ok:
			out[k].err = taskNotFound(id)
		default:
			out[k].task = tasks[i]
		}
	}
	return out
}

// lateStart is the delivery's start not yet written, or nil.
func (w *Worker) lateStart(lease domain.Lease) *domain.LateStart {
	if v, ok := w.lateStarts.Load(lease.Token); ok {
		return v.(*domain.LateStart)
	}
	return nil
}

// writeLateStart writes the start of a handler that has run for StartDelay. When the
// record refuses it (the task was cancelled or changed meanwhile) or the store cannot
// take it, the handler is stopped: a task must not run on unrecorded for long.
func (w *Worker) writeLateStart(cancel context.CancelCauseFunc, lease domain.Lease, view *attemptView) {
	ls := w.lateStart(lease)
	if ls == nil {
		return
	}
	t, err := w.update(domain.TaskChange{ID: lease.TaskID, Seen: &ls.Seen, Apply: ls.Apply})
	if err != nil {
		w.deps.Log.Info("task_start_refused", "task_id", lease.TaskID, "error", err.Error())
		cancel(errStartRefused)
		return
	}
	w.lateStarts.Delete(lease.Token)
	view.stored(t)
}

// lateChange is the finishing change of an attempt: apply over the stored start, or,
// while the start is not written, the start and apply together over the version read.
func (w *Worker) lateChange(lease domain.Lease, task *domain.Task, apply func(*domain.Task) error) domain.TaskChange {
	if ls := w.lateStart(lease); ls != nil {
		return domain.TaskChange{ID: task.ID, Seen: &ls.Seen, Apply: ls.Then(apply), Late: ls}
	}
	return domain.TaskChange{ID: task.ID, Seen: task, Apply: apply}
}
