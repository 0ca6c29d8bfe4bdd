package memory

import (
	"container/heap"
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.Queue  = (*Queue)(nil)
	_ ports.Pinger = (*Queue)(nil)
)

// Queue is an in-memory ports.Queue. It is on the hot path, so nothing polls: Dequeue
// parks on a per-caller channel and is woken exactly when an id becomes ready, either by
// Enqueue/Release or by a single timer armed for the earliest deadline (a delayed item's
// NotBefore or a lease's expiry). Deadlines are also applied lazily on every call, so the
// timer only has to wake sleepers.
//
// Ready ids wait in one lane per priority, and a delivery takes from the highest-priority
// lane that holds any. Within a lane ids are delivered FIFO: immediate items in enqueue
// order, delayed items and expired leases in the order they became due.
type Queue struct {
	clock ports.Clock

	mu       sync.Mutex
	ready    lanes               // ids deliverable now, by priority
	delayed  delayHeap           // ids deliverable later, earliest first
	waiting  map[string]struct{} // every id in ready or delayed
	leased   map[string]*lease   // ids held by a consumer
	lapsed   map[string]struct{} // ids whose lease lapsed since they were last acked
	expiries leaseHeap           // the leases, earliest expiry first
	waiters  list.List           // of *waiter: parked Dequeue calls, oldest first
	seq      uint64              // tie-breaker keeping equal deadlines FIFO

	timer   *time.Timer
	timerAt time.Time // deadline the timer is armed for; zero when disarmed
}

type lease struct {
	id       string
	priority int // the lane the id returns to
	token    string
	expires  time.Time
	seq      uint64
	index    int // in expiries
}

type waiter struct {
	ch   chan struct{} // receives one wake-up
	elem *list.Element // nil once woken or removed
}

// NewQueue returns an empty queue that reads time from clock. With a *FakeClock, moving the
// clock immediately delivers whatever became due.
func NewQueue(clock ports.Clock) *Queue {
	q := &Queue{
		clock:   clock,
		waiting: map[string]struct{}{},
		leased:  map[string]*lease{},
		lapsed:  map[string]struct{}{},
	}
	q.timer = time.AfterFunc(time.Hour, q.onDeadline)
	q.timer.Stop()
	if n, ok := clock.(changeNotifier); ok {
		n.onChange(q.onDeadline)
	}
	return q
}

// Ping always succeeds: there is no backing service.
func (q *Queue) Ping(context.Context) error { return nil }

// Enqueue makes the id deliverable at item.NotBefore; a no-op for an id waiting or leased.
func (q *Queue) Enqueue(ctx context.Context, item domain.QueueItem) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if item.TaskID == "" {
		return errors.New("memory queue: empty task id")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock.Now()
	q.advanceLocked(now)
	q.enqueueLocked(item, now)
	return nil
}

// enqueueLocked puts item's id (putLocked) unless it is already waiting or leased.
func (q *Queue) enqueueLocked(item domain.QueueItem, now time.Time) {
	if _, ok := q.waiting[item.TaskID]; ok {
		return
	}
	if _, ok := q.leased[item.TaskID]; ok {
		return
	}
	q.putLocked(item.TaskID, item.NotBefore, item.QueuePriority(), now)
}

// putLocked makes id waiting in the lane of priority, ready now or delayed until notBefore.
func (q *Queue) putLocked(id string, notBefore time.Time, priority int, now time.Time) {
	q.waiting[id] = struct{}{}
	if notBefore.After(now) {
		q.seq++
		heap.Push(&q.delayed, delayed{id: id, at: notBefore, seq: q.seq, priority: priority})
		q.armLocked(now)
		return
	}
	q.ready.push(id, priority)
	q.wakeLocked()
}

// Dequeue blocks until an id is ready or ctx ends, then leases it for d.
func (q *Queue) Dequeue(ctx context.Context, d time.Duration) (domain.Lease, error) {
	if d <= 0 {
		return domain.Lease{}, fmt.Errorf("memory queue: lease duration must be > 0, got %s", d)
	}
	for {
		if err := ctx.Err(); err != nil {
			return domain.Lease{}, err
		}
		q.mu.Lock()
		now := q.clock.Now()
		q.advanceLocked(now)
		if id, priority, ok := q.ready.pop(); ok {
			l := q.leaseLocked(id, priority, now, d)
			q.wakeLocked() // more may be ready for other parked callers
			q.mu.Unlock()
			return l, nil
		}
		if err := q.parkLocked(ctx, now); err != nil {
			return domain.Lease{}, err
		}
	}
}

// parkLocked waits, with q.mu held on entry and released on return, until something may
// have become ready (nil: the caller looks again; another caller may have taken it first)
// or ctx ends (ctx.Err()).
func (q *Queue) parkLocked(ctx context.Context, now time.Time) error {
	w := &waiter{ch: make(chan struct{}, 1)}
	w.elem = q.waiters.PushBack(w)
	q.armLocked(now)
	q.mu.Unlock()

	select {
	case <-w.ch:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		if w.elem != nil {
			q.waiters.Remove(w.elem)
			w.elem = nil
		} else {
			// We were woken for an item we will not take: pass the wake-up on so it is
			// not lost.
			q.wakeLocked()
		}
		q.mu.Unlock()
		return ctx.Err()
	}
}

func (q *Queue) leaseLocked(id string, priority int, now time.Time, d time.Duration) domain.Lease {
	delete(q.waiting, id)
	q.seq++
	l := &lease{id: id, priority: priority, token: newToken(), expires: now.Add(d), seq: q.seq}
	q.leased[id] = l
	heap.Push(&q.expiries, l)
	q.armLocked(now)
	_, lapsed := q.lapsed[id]
	return domain.Lease{TaskID: id, Token: l.token, Redelivered: lapsed}
}

// heldLocked returns the lease when l is still the current delivery of its id.
func (q *Queue) heldLocked(l domain.Lease) (*lease, error) {
	cur, ok := q.leased[l.TaskID]
	if !ok || cur.token != l.Token {
		return nil, fmt.Errorf("memory queue: task %s: %w", l.TaskID, domain.ErrLeaseLost)
	}
	return cur, nil
}

// Extend moves the lease's expiry to now+d.
func (q *Queue) Extend(ctx context.Context, l domain.Lease, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("memory queue: lease duration must be > 0, got %s", d)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock.Now()
	q.advanceLocked(now)
	cur, err := q.heldLocked(l)
	if err != nil {
		return err
	}
	cur.expires = now.Add(d)
	heap.Fix(&q.expiries, cur.index)
	q.armLocked(now)
	return nil
}

// Ack removes the id for good.
func (q *Queue) Ack(ctx context.Context, l domain.Lease) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.advanceLocked(q.clock.Now())
	cur, err := q.heldLocked(l)
	if err != nil {
		return err
	}
	q.dropLeaseLocked(cur)
	delete(q.lapsed, cur.id)
	return nil
}

// Release ends the lease and makes the id deliverable again at notBefore.
func (q *Queue) Release(ctx context.Context, l domain.Lease, notBefore time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock.Now()
	q.advanceLocked(now)
	cur, err := q.heldLocked(l)
	if err != nil {
		return err
	}
	q.dropLeaseLocked(cur)
	q.putLocked(cur.id, notBefore, cur.priority, now)
	return nil
}

func (q *Queue) dropLeaseLocked(l *lease) {
	delete(q.leased, l.id)
	heap.Remove(&q.expiries, l.index)
}

// Contains reports whether the id is waiting or leased.
func (q *Queue) Contains(ctx context.Context, taskID string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.advanceLocked(q.clock.Now())
	_, waiting := q.waiting[taskID]
	_, leased := q.leased[taskID]
	return waiting || leased, nil
}

// Depth returns the number of waiting ids, ready or delayed.
func (q *Queue) Depth(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.advanceLocked(q.clock.Now())
	return int64(len(q.waiting)), nil
}

// advanceLocked applies every deadline up to now: delayed items become ready and expired
// leases are put back for redelivery.
func (q *Queue) advanceLocked(now time.Time) {
	for len(q.delayed) > 0 && !q.delayed[0].at.After(now) {
		d := heap.Pop(&q.delayed).(delayed)
		q.ready.push(d.id, d.priority)
	}
	for len(q.expiries) > 0 && !q.expiries[0].expires.After(now) {
		l := heap.Pop(&q.expiries).(*lease)
		delete(q.leased, l.id)
		q.lapsed[l.id] = struct{}{}
		q.waiting[l.id] = struct{}{}
		q.ready.push(l.id, l.priority)
	}
}

// wakeLocked wakes as many parked Dequeue calls as there are ready ids.
func (q *Queue) wakeLocked() {
	for n := q.ready.len(); n > 0 && q.waiters.Len() > 0; n-- {
		w := q.waiters.Remove(q.waiters.Front()).(*waiter)
		w.elem = nil
		w.ch <- struct{}{}
	}
}

// armLocked makes sure the timer fires by the earliest deadline while anyone is parked.
// A timer armed for an earlier deadline is left alone: firing early is harmless (onDeadline
// re-arms), and it saves a Reset on every lease.
func (q *Queue) armLocked(now time.Time) {
	if q.waiters.Len() == 0 {
		return
	}
	var next time.Time
	if len(q.delayed) > 0 {
		next = q.delayed[0].at
	}
	if len(q.expiries) > 0 && (next.IsZero() || q.expiries[0].expires.Before(next)) {
		next = q.expiries[0].expires
	}
	if next.IsZero() || (!q.timerAt.IsZero() && !next.Before(q.timerAt)) {
		return
	}
	q.timerAt = next
	q.timer.Reset(max(next.Sub(now), 0))
}

// onDeadline runs when the timer fires or a FakeClock moves.
func (q *Queue) onDeadline() {
	q.mu.Lock()
	defer q.mu.Unlock()
	now := q.clock.Now()
	q.timerAt = time.Time{}
	q.advanceLocked(now)
	q.wakeLocked()
	q.armLocked(now)
}

// newToken returns a fresh random lease token.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
