package application

import (
	"context"
	"time"

	"taskrunner/domain"
)

// MaxTaskWait is the longest wait GET /tasks/{id}?wait may ask for.
const MaxTaskWait = 60 * time.Second

// ErrTooManyWaiters is returned by Await when MaxWaiters waits are open.
var ErrTooManyWaiters = domain.NewError(domain.CodeUnavailable, "too many waits are open; try again later")

// taskWaiter is one Await on one task: the hub leaves the latest event of the task (or
// nil, for "events were lost: read the record") and wakes it.
type taskWaiter struct {
	wake   chan struct{}
	latest *domain.Task
	reread bool
}

// wakeLocked records t (nil: lost events) and wakes the waiter; h.mu is held.
func (w *taskWaiter) wakeLocked(t *domain.Task) {
	if t == nil {
		w.reread = true
	} else {
		w.latest = t
	}
	select {
	case w.wake <- struct{}{}:
	default: // already woken; it reads the latest when it runs
	}
}

// Await answers the task as soon as it is final, or its current state when wait has
// passed or ctx ends (the server is stopping). It subscribes first, then reads the
// record through read, so a change committed between the two is not missed; after that
// it only reads again when the feed lost events or at the end, never in a polling loop.
// The hub sees changes made by any process that writes through the task-change feed.
func (h *EventHub) Await(ctx context.Context, id string, wait time.Duration, read func() (domain.Task, error)) (domain.Task, error) {
	if err := h.acquire(); err != nil {
		return domain.Task{}, err
	}
	defer h.release()
	w, err := h.addWaiter(id)
	if err != nil {
		return domain.Task{}, err
	}
	defer h.removeWaiter(id, w)
	t, err := read()
	if err != nil || t.Status.Terminal() || wait <= 0 {
		return t, err
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-w.wake:
		case <-timer.C:
			return read()
		case <-ctx.Done():
			return read()
		}
		h.mu.Lock()
		latest, reread := w.latest, w.reread
		w.reread = false
		h.mu.Unlock()
		if reread {
			if t, err = read(); err != nil || t.Status.Terminal() {
				return t, err
			}
			continue
		}
		if latest != nil && latest.Status.Terminal() {
			return *latest, nil
		}
	}
}

func (h *EventHub) addWaiter(id string) (*taskWaiter, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.nwait >= h.cfg.MaxWaiters {
		return nil, ErrTooManyWaiters
	}
	w := &taskWaiter{wake: make(chan struct{}, 1)}
	if h.waiters[id] == nil {
		h.waiters[id] = map[*taskWaiter]struct{}{}
	}
	h.waiters[id][w] = struct{}{}
	h.nwait++
	return w, nil
}

func (h *EventHub) removeWaiter(id string, w *taskWaiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.waiters[id], w)
	if len(h.waiters[id]) == 0 {
		delete(h.waiters, id)
	}
	h.nwait--
}
