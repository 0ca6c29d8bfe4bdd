package domain

import "time"

// Parent and children: how a task that spawned child tasks waits for them without holding
// a worker slot.
//
// The parent's attempt ends with AwaitChildren: the task is `scheduled` with no run_at and
// AwaitingChildren set, off the queue, and its attempt is not counted (it resumes, it does
// not retry). When its last child ends, whoever sees that (the child's worker, the service
// that cancelled the child, or the reconciler's pass over parked tasks) wakes it with
// WakeFromChildren, then queues it. Both transitions are conditional, so a wake seen by
// several parties at once queues the parent once. The parent reads its children's final
// rows on its next run; no count is kept, so nothing can drift from the children's rows.

// SpawnsChildren reports whether tasks of this type may create child tasks (whose cancel
// must follow their parent's).
func (t TaskType) SpawnsChildren() bool { return t == TaskResearch }

// AwaitChildren ends the running attempt held by holder, parking the task until its
// children end. The attempt is handed back uncounted, as at shutdown. A cancel requested
// meanwhile wins: the task is cancelled instead.
func (t *Task) AwaitChildren(holder string, now time.Time) error {
	if err := t.HeldBy(holder); err != nil {
		return err
	}
	if t.CancelRequested {
		return t.MarkCancelled(now)
	}
	t.Status = StatusScheduled
	t.Holder = ""
	t.Attempts--
	t.closeAttempt(AttemptAwaitingChildren, "", now)
	// run_at means "due then"; a parked task is due when its children end, not at a time.
	t.RunAt = nil
	t.AwaitingChildren = true
	t.UpdatedAt = now
	return nil
}

// WakeFromChildren makes a parked task queued again once its children have ended. It
// returns an error matching ErrConflict when the task is not parked (already woken,
// cancelled, or never parked).
func (t *Task) WakeFromChildren(now time.Time) error {
	if t.Status != StatusScheduled || !t.AwaitingChildren {
		return NewError(CodeTaskAlreadyFinished, "task %s is not waiting for children (it is %s)", t.ID, t.Status).WithCause(ErrConflict)
	}
	t.Status = StatusQueued
	t.AwaitingChildren = false
	t.UpdatedAt = now
	return nil
}

// ChildrenProgressMessage is what a parent's progress counts: its children are the pages
// a research fetches.
const ChildrenProgressMessage = "pages fetched"

// ChildrenProgress is a parent's progress over its children: done of them have ended, of
// total created.
func ChildrenProgress(done, total int) Progress {
	return Progress{Done: int64(done), Total: int64(total), Message: ChildrenProgressMessage}
}

// NoteChildrenEnded records on a parked parent how many of its children have ended. It
// returns an error matching ErrConflict when the task is not parked, and reports false
// (nothing to write) when the stored progress already says as much: children end in any
// order and are counted by several parties at once, so a count read earlier never lowers
// a later one.
func (t *Task) NoteChildrenEnded(p Progress, now time.Time) (bool, error) {
	if t.Status != StatusScheduled || !t.AwaitingChildren {
		return false, NewError(CodeTaskAlreadyFinished, "task %s is not waiting for children (it is %s)", t.ID, t.Status).WithCause(ErrConflict)
	}
	if t.Progress != nil && t.Progress.Message == p.Message && t.Progress.Total == p.Total && t.Progress.Done >= p.Done {
		return false, nil
	}
	t.Progress = &p
	t.UpdatedAt = now
	return true, nil
}
