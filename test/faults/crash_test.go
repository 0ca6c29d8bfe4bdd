package faults

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// crashSwitch stands for a process's death. Once crash is called, no call of the process
// reaches PostgreSQL or Redis any more: a call that starts afterwards blocks, and a call
// that was already on the wire when the process died has its answer thrown away (the
// process is not there to act on it). So a dead worker never acks, heartbeats, writes a
// result or hands a task back, exactly as after kill -9; its goroutines are simply
// abandoned. reap, at the end of the test, lets those goroutines fail fast so the worker
// can be stopped and nothing leaks into other tests.
type crashSwitch struct {
	crashed, reaped     chan struct{}
	crashOnce, reapOnce sync.Once
}

func newCrashSwitch() *crashSwitch {
	return &crashSwitch{crashed: make(chan struct{}), reaped: make(chan struct{})}
}

// crash kills the process and arranges for it to be reaped when the test ends.
func (c *crashSwitch) crash(t *testing.T) {
	c.trigger()
	c.reapAtEnd(t)
}

// trigger kills the process (once); callable from any goroutine, such as a store hook.
func (c *crashSwitch) trigger() { c.crashOnce.Do(func() { close(c.crashed) }) }

// reapAtEnd reaps the process when the test ends, whether or not it crashed.
func (c *crashSwitch) reapAtEnd(t *testing.T) {
	t.Cleanup(func() { c.reapOnce.Do(func() { close(c.reaped) }) })
}

// awaitCrash waits until something triggered the crash.
func (c *crashSwitch) awaitCrash(t *testing.T, what string) {
	t.Helper()
	eventually(t, what, func() (bool, string) {
		select {
		case <-c.crashed:
			return true, ""
		default:
			return false, "alive"
		}
	})
}

var errDead = errors.New("the process is dead")

// dead returns nil while the process lives. After the crash it blocks until ctx ends or
// the process is reaped, then returns an error: the caller's answer never arrives.
func (c *crashSwitch) dead(ctx context.Context) error {
	select {
	case <-c.crashed:
	default:
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-c.reaped:
		return domain.Unavailable("process", errDead)
	}
}

// mortal wraps the ports of process p so that c can kill it.
func (c *crashSwitch) mortal(p *process) {
	p.store = crashStore{inner: p.store, c: c}
	p.queue = crashQueue{inner: p.queue, c: c}
	p.signals = crashSignals{inner: p.signals, c: c}
}

// crashStore is a task store that dies with its process.
type crashStore struct {
	inner taskStore
	c     *crashSwitch
}

var _ taskStore = crashStore{}

func (s crashStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	if err := s.c.dead(ctx); err != nil {
		return domain.Task{}, false, err
	}
	got, created, err := s.inner.Create(ctx, t)
	if derr := s.c.dead(ctx); derr != nil {
		return domain.Task{}, false, derr
	}
	return got, created, err
}

func (s crashStore) Get(ctx context.Context, id string) (domain.Task, error) {
	if err := s.c.dead(ctx); err != nil {
		return domain.Task{}, err
	}
	got, err := s.inner.Get(ctx, id)
	if derr := s.c.dead(ctx); derr != nil {
		return domain.Task{}, derr
	}
	return got, err
}

func (s crashStore) GetByIdempotencyKey(ctx context.Context, key string) (domain.Task, error) {
	if err := s.c.dead(ctx); err != nil {
		return domain.Task{}, err
	}
	got, err := s.inner.GetByIdempotencyKey(ctx, key)
	if derr := s.c.dead(ctx); derr != nil {
		return domain.Task{}, derr
	}
	return got, err
}

func (s crashStore) List(ctx context.Context, f domain.TaskFilter) (domain.TaskPage, error) {
	if err := s.c.dead(ctx); err != nil {
		return domain.TaskPage{}, err
	}
	got, err := s.inner.List(ctx, f)
	if derr := s.c.dead(ctx); derr != nil {
		return domain.TaskPage{}, derr
	}
	return got, err
}

func (s crashStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	if err := s.c.dead(ctx); err != nil {
		return domain.Task{}, err
	}
	got, err := s.inner.Update(ctx, id, fn)
	if derr := s.c.dead(ctx); derr != nil {
		return domain.Task{}, derr
	}
	return got, err
}

// CreateMany and UpdateMany die like the single calls: a batch on the wire when the
// process dies may well commit, but every one of its results is thrown away, so none of
// the tasks in it is acked, started or finished by the dead process.
func (s crashStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := s.inner.CreateMany(ctx, tasks)
	if derr := s.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

// GetMany: a dead process reads nothing either.
func (s crashStore) GetMany(ctx context.Context, ids []string) ([]domain.Task, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := s.inner.GetMany(ctx, ids)
	if derr := s.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

func (s crashStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := s.inner.UpdateMany(ctx, changes)
	if derr := s.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

func (s crashStore) ListStale(ctx context.Context, q domain.StaleQuery) ([]domain.Task, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := s.inner.ListStale(ctx, q)
	if derr := s.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

func (s crashStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := s.inner.CountByTypeStatus(ctx)
	if derr := s.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

// crashQueue is a queue client that dies with its process.
type crashQueue struct {
	inner taskQueue
	c     *crashSwitch
}

var _ taskQueue = crashQueue{}

func (q crashQueue) Enqueue(ctx context.Context, item domain.QueueItem) error {
	if err := q.c.dead(ctx); err != nil {
		return err
	}
	err := q.inner.Enqueue(ctx, item)
	if derr := q.c.dead(ctx); derr != nil {
		return derr
	}
	return err
}

// Dequeue: a lease granted to a process that died meanwhile is never seen by it; the queue
// gets it back when the lease expires.
func (q crashQueue) Dequeue(ctx context.Context, d time.Duration) (domain.Lease, error) {
	if err := q.c.dead(ctx); err != nil {
		return domain.Lease{}, err
	}
	l, err := q.inner.Dequeue(ctx, d)
	if derr := q.c.dead(ctx); derr != nil {
		return domain.Lease{}, derr
	}
	return l, err
}

func (q crashQueue) Extend(ctx context.Context, l domain.Lease, d time.Duration) error {
	if err := q.c.dead(ctx); err != nil {
		return err
	}
	err := q.inner.Extend(ctx, l, d)
	if derr := q.c.dead(ctx); derr != nil {
		return derr
	}
	return err
}

func (q crashQueue) Ack(ctx context.Context, l domain.Lease) error {
	if err := q.c.dead(ctx); err != nil {
		return err
	}
	err := q.inner.Ack(ctx, l)
	if derr := q.c.dead(ctx); derr != nil {
		return derr
	}
	return err
}

func (q crashQueue) Release(ctx context.Context, l domain.Lease, notBefore time.Time) error {
	if err := q.c.dead(ctx); err != nil {
		return err
	}
	err := q.inner.Release(ctx, l, notBefore)
	if derr := q.c.dead(ctx); derr != nil {
		return derr
	}
	return err
}

func (q crashQueue) Contains(ctx context.Context, taskID string) (bool, error) {
	if err := q.c.dead(ctx); err != nil {
		return false, err
	}
	held, err := q.inner.Contains(ctx, taskID)
	if derr := q.c.dead(ctx); derr != nil {
		return false, derr
	}
	return held, err
}

func (q crashQueue) Depth(ctx context.Context) (int64, error) {
	if err := q.c.dead(ctx); err != nil {
		return 0, err
	}
	n, err := q.inner.Depth(ctx)
	if derr := q.c.dead(ctx); derr != nil {
		return 0, derr
	}
	return n, err
}

func (q crashQueue) EnqueueMany(ctx context.Context, items []domain.QueueItem) error {
	if err := q.c.dead(ctx); err != nil {
		return err
	}
	err := q.inner.EnqueueMany(ctx, items)
	if derr := q.c.dead(ctx); derr != nil {
		return derr
	}
	return err
}

// DequeueMany: as Dequeue, every lease of a batch granted to a process that died meanwhile
// is lost with it; the queue gets each back when its lease expires.
func (q crashQueue) DequeueMany(ctx context.Context, max int, d time.Duration) ([]domain.Lease, error) {
	if err := q.c.dead(ctx); err != nil {
		return nil, err
	}
	ls, err := q.inner.DequeueMany(ctx, max, d)
	if derr := q.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return ls, err
}

// AckMany: acks sent just before the death may land, but the dead process never learns
// which (it does nothing with the answer either way).
func (q crashQueue) AckMany(ctx context.Context, leases []domain.Lease) ([]domain.Lease, error) {
	if err := q.c.dead(ctx); err != nil {
		return nil, err
	}
	lost, err := q.inner.AckMany(ctx, leases)
	if derr := q.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return lost, err
}

// crashSignals is a cancel-signal client that dies with its process: after the crash the
// subscription delivers nothing more, as a closed connection would.
type crashSignals struct {
	inner ports.CancelSignals
	c     *crashSwitch
}

var _ ports.CancelSignals = crashSignals{}

func (s crashSignals) Publish(ctx context.Context, taskID string) error {
	if err := s.c.dead(ctx); err != nil {
		return err
	}
	return s.inner.Publish(ctx, taskID)
}

func (s crashSignals) Subscribe(ctx context.Context) (<-chan string, error) {
	if err := s.c.dead(ctx); err != nil {
		return nil, err
	}
	in, err := s.inner.Subscribe(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan string)
	go func() {
		defer close(out)
		for {
			select {
			case id, ok := <-in:
				if !ok {
					return
				}
				select {
				case out <- id:
				case <-s.c.crashed:
				case <-ctx.Done():
					return
				}
			case <-s.c.crashed:
				// Dead: hold the channel open (a dead process does not notice either)
				// until the subscription's life ends.
				<-ctx.Done()
				return
			}
		}
	}()
	return out, nil
}
