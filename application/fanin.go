package application

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// ErrAwaitChildren is what a handler returns to end its attempt parked until the child
// tasks it created have all ended (domain.Task.AwaitChildren): the worker frees its slot,
// and the task runs again, as a resumption rather than a retry, once they have.
var ErrAwaitChildren = errors.New("task waits for its children")

// maxChildren bounds how many children one parent may have, and so what a fan-in check
// reads: a research has at most domain.MaxResearchFetchTop.
const maxChildren = 500

// FanInDeps are the ports fan-in needs.
type FanInDeps struct {
	Store   ports.TaskStore
	Queue   ports.Queue
	Signals ports.CancelSignals
	Clock   ports.Clock
	Log     *slog.Logger
}

// FanIn joins parents and children: it wakes a parked parent once its last child has ended
// and carries a parent's cancel down to its children. Every method is idempotent and
// safe to call from any number of processes at once; each reads the children's rows
// afresh, so a call that comes late or twice does no harm.
type FanIn struct {
	deps FanInDeps
}

// NewFanIn returns the fan-in, or an error naming a missing dependency.
func NewFanIn(d FanInDeps) (*FanIn, error) {
	if d.Store == nil || d.Queue == nil || d.Signals == nil || d.Clock == nil || d.Log == nil {
		return nil, errors.New("application: fan-in needs Store, Queue, Signals, Clock and Log")
	}
	return &FanIn{deps: d}, nil
}

// Children returns the parent's children, newest first.
func (f *FanIn) Children(ctx context.Context, parentID string) ([]domain.Task, error) {
	return listChildren(ctx, f.deps.Store, parentID)
}

// listChildren reads up to maxChildren children of parentID.
func listChildren(ctx context.Context, store ports.TaskStore, parentID string) ([]domain.Task, error) {
	var out []domain.Task
	after := ""
	for len(out) < maxChildren {
		page, err := store.List(ctx, domain.TaskFilter{ParentID: parentID, Limit: min(maxChildren-len(out), 500), After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Tasks...)
		if page.NextAfter == "" {
			break
		}
		after = page.NextAfter
	}
	return out, nil
}

// Ended is what a process that made t final calls: a child's end may wake its parent, and
// a cancelled parent's children are cancelled too. Failures are logged: the reconciler
// repeats the wake-up, and a child left running ends on its own.
func (f *FanIn) Ended(ctx context.Context, t domain.Task) {
	if f == nil || !t.Status.Terminal() {
		return
	}
	if t.Status == domain.StatusCancelled && t.Type.SpawnsChildren() {
		if err := f.CancelChildren(ctx, t.ID); err != nil {
			f.deps.Log.WarnContext(ctx, "children_cancel_failed", "task_id", t.ID, "error", err.Error())
		}
	}
	if t.ParentID != "" {
		if _, err := f.WakeIfDone(ctx, t.ParentID); err != nil {
			f.deps.Log.WarnContext(ctx, "parent_wake_failed", "task_id", t.ParentID, "child_id", t.ID, "error", err.Error())
		}
	}
}

// WakeIfDone queues the parent again when it is parked and none of its children is still
// to end, and reports whether this call woke it. A parent that is not parked is left
// alone; one with a child still going gets its progress (children ended of created),
// which GET /tasks/{id} shows while it waits.
func (f *FanIn) WakeIfDone(ctx context.Context, parentID string) (bool, error) {
	parent, err := f.deps.Store.Get(ctx, parentID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if parent.Status != domain.StatusScheduled || !parent.AwaitingChildren {
		return false, nil
	}
	children, err := f.Children(ctx, parentID)
	if err != nil {
		return false, err
	}
	ended := 0
	for _, c := range children {
		if c.Status.Terminal() {
			ended++
		}
	}
	progress := domain.ChildrenProgress(ended, len(children))
	now := f.deps.Clock.Now()
	if ended < len(children) {
		return false, f.noteProgress(ctx, parent, progress, now)
	}
	woken, err := f.deps.Store.Update(ctx, parentID, func(t *domain.Task) error {
		if _, err := t.NoteChildrenEnded(progress, now); err != nil {
			return err
		}
		return t.WakeFromChildren(now)
	})
	if errors.Is(err, domain.ErrConflict) {
		return false, nil // someone else woke it (or it was cancelled) meanwhile
	}
	if err != nil {
		return false, err
	}
	// A failed push leaves the parent queued in the record: the reconciler queues it.
	if err := f.deps.Queue.Enqueue(ctx, woken.QueueItem()); err != nil {
		return true, err
	}
	f.deps.Log.InfoContext(ctx, "parent_woken", "task_id", parentID, "type", string(woken.Type), "children", len(children))
	return true, nil
}

// errProgressKept ends an Update that has nothing to write.
var errProgressKept = errors.New("progress already recorded")

// noteProgress writes p on the parked parent unless what it holds already says as much (a
// child ending is seen by several parties, each with its own count).
func (f *FanIn) noteProgress(ctx context.Context, parent domain.Task, p domain.Progress, now time.Time) error {
	if write, _ := (&parent).NoteChildrenEnded(p, now); !write {
		return nil // as read: nothing new, no write
	}
	_, err := f.deps.Store.Update(ctx, parent.ID, func(t *domain.Task) error {
		write, err := t.NoteChildrenEnded(p, now)
		if err == nil && !write {
			return errProgressKept
		}
		return err
	})
	if errors.Is(err, errProgressKept) || errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrNotFound) {
		return nil // counted by another party, or woken, cancelled or deleted meanwhile
	}
	return err
}

// CancelChildren cancels every child of parentID that has not ended: a queued or
// scheduled one at once, a running one through its worker (flag and signal).
func (f *FanIn) CancelChildren(ctx context.Context, parentID string) error {
	children, err := f.Children(ctx, parentID)
	if err != nil {
		return err
	}
	now := f.deps.Clock.Now()
	var errs []error
	cancelled := 0
	for _, c := range children {
		if c.Status.Terminal() {
			continue
		}
		var running bool
		_, err := f.deps.Store.Update(ctx, c.ID, func(t *domain.Task) error {
			var err error
			running, err = t.Cancel(now)
			return err
		})
		if errors.Is(err, domain.ErrConflict) || errors.Is(err, domain.ErrNotFound) {
			continue // it ended meanwhile
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cancelled++
		if running {
			if err := f.deps.Signals.Publish(ctx, c.ID); err != nil {
				// The flag on the record still reaches the worker at its next heartbeat.
				f.deps.Log.WarnContext(ctx, "cancel_signal_failed", "task_id", c.ID, "error", err.Error())
			}
		}
	}
	if cancelled > 0 {
		f.deps.Log.InfoContext(ctx, "children_cancelled", "task_id", parentID, "count", cancelled)
	}
	return errors.Join(errs...)
}
