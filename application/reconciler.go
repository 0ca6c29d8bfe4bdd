package application

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// ReconcilerDeps are the ports the reconciler needs.
type ReconcilerDeps struct {
	Store ports.TaskStore
	Queue ports.Queue
	Clock ports.Clock
	Log   *slog.Logger
	// FanIn wakes parked parents whose children have all ended (a child's worker that
	// died before it could); nil when no handler spawns children.
	FanIn *FanIn
	// Observer counts the re-queues; nil: no metrics.
	Observer ports.WorkObserver
}

// ReconcilerConfig tunes the reconciler. Zero values take the defaults named on each field.
type ReconcilerConfig struct {
	Interval time.Duration // between passes; default 10s
	// QueuedGrace is how old a queued task must be before its absence from the queue counts
	// (a submit writes the record first and pushes right after); default 5s.
	QueuedGrace time.Duration
	// Lease is the workers' lease: a running task not touched for longer, which the queue
	// no longer holds, has lost its worker; default 30s.
	Lease time.Duration
	// BatchSize is the page size: tasks read per status by one ListStale; default 1000.
	BatchSize int
	// MaxPages bounds the pages read per status per pass; default 10. A pass resumes where
	// the last one stopped (see pass), so a deep backlog is covered over several passes.
	MaxPages int
	// Concurrency is how many tasks of a page are checked against the queue at once;
	// default 8.
	Concurrency int
	OpTimeout   time.Duration // each store or queue call; default 10s
}

// Reconciler defaults.
const (
	DefaultReconcileInterval = 10 * time.Second
	DefaultQueuedGrace       = 5 * time.Second
	DefaultReconcileBatch    = 1000
	DefaultReconcilePages    = 10
	DefaultReconcileWorkers  = 8
)

func (c ReconcilerConfig) withDefaults() (ReconcilerConfig, error) {
	if c.Interval < 0 || c.QueuedGrace < 0 || c.Lease < 0 || c.BatchSize < 0 || c.MaxPages < 0 ||
		c.Concurrency < 0 || c.OpTimeout < 0 {
		return c, errors.New("application: reconciler settings must not be negative")
	}
	if c.Interval == 0 {
		c.Interval = DefaultReconcileInterval
	}
	if c.QueuedGrace == 0 {
		c.QueuedGrace = DefaultQueuedGrace
	}
	if c.Lease == 0 {
		c.Lease = DefaultWorkerLease
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultReconcileBatch
	}
	if c.MaxPages == 0 {
		c.MaxPages = DefaultReconcilePages
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultReconcileWorkers
	}
	if c.OpTimeout == 0 {
		c.OpTimeout = DefaultWorkerOpTimeout
	}
	return c, nil
}

// Reconciler repairs the queue from the record, which is the truth: a queued task the queue
// does not hold (the push after a submit failed, or the broker lost its data) is queued
// again, and so is a running task whose worker vanished along with its queue entry. A
// running task that workers have already lost too often is failed instead (see
// domain.LostLeaseAllowance). Every repair is idempotent (Enqueue of a held id is a no-op,
// a redelivered finished task is skipped by the worker), so any number of reconcilers may
// run side by side.
type Reconciler struct {
	deps ReconcilerDeps
	cfg  ReconcilerConfig

	bg background

	// passMu serializes passes; it guards positions, where each status's walk through its
	// stale tasks stands between passes.
	passMu    sync.Mutex
	positions map[domain.Status]*position
}

// NewReconciler returns a reconciler, or an error naming a missing dependency.
func NewReconciler(d ReconcilerDeps, cfg ReconcilerConfig) (*Reconciler, error) {
	if d.Store == nil || d.Queue == nil || d.Clock == nil || d.Log == nil {
		return nil, errors.New("application: reconciler needs Store, Queue, Clock and Log")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d.Observer = workObserverOr(d.Observer)
	return &Reconciler{deps: d, cfg: c, positions: map[domain.Status]*position{}}, nil
}

// Start runs a pass at once and then every Interval, in the background, until Stop.
func (r *Reconciler) Start(ctx context.Context) error {
	return r.bg.start(ctx, "reconciler", r.run)
}

// Stop ends the background passes and waits for a running pass to give up. It is
// idempotent and safe before Start.
func (r *Reconciler) Stop(ctx context.Context) error {
	return r.bg.halt(ctx)
}

func (r *Reconciler) run(ctx context.Context) {
	tick := time.NewTicker(r.cfg.Interval)
	defer tick.Stop()
	for {
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil {
			r.deps.Log.Warn("reconcile_failed", "error", err.Error())
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

// RunOnce makes one pass over stale queued, running and scheduled tasks (up to MaxPages pages of each,
// continuing where the previous pass stopped) and returns how many it put back on the
// queue. It carries on past a task it cannot repair within a page and returns the first
// error with the count of the rest.
func (r *Reconciler) RunOnce(ctx context.Context) (int, error) {
	r.passMu.Lock()
	defer r.passMu.Unlock()
	now := r.deps.Clock.Now()
	queued, errQ := r.pass(ctx, domain.StatusQueued, now.Add(-r.cfg.QueuedGrace))
	running, errR := r.pass(ctx, domain.StatusRunning, now.Add(-r.cfg.Lease))
	// A scheduled task (deferred, or waiting for a retry) is written before its push like
	// a queued one, so the same grace applies; its repair puts it back due at its RunAt.
	scheduled, errS := r.pass(ctx, domain.StatusScheduled, now.Add(-r.cfg.QueuedGrace))
	return queued + running + scheduled, errors.Join(errQ, errR, errS)
}

// repair re-enqueues one stale task if the queue does not hold it.
func (r *Reconciler) repair(ctx context.Context, t domain.Task) (bool, error) {
	held, err := r.contains(ctx, t.ID)
	if err != nil || held {
		return false, err
	}
	// The task may have moved on since it was listed (a worker finished it and acked);
	// re-read it so only a task still stuck is touched. A race past this point is harmless:
	// the worker skips a finished task it is handed.
	task, err := r.get(ctx, t.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if task.Status != t.Status || !task.UpdatedAt.Equal(t.UpdatedAt) {
		return false, nil
	}
	if task.Status == domain.StatusScheduled && task.AwaitingChildren {
		// A parked parent is off the queue on purpose: it is due when its children end.
		return r.wakeParked(ctx, task)
	}
	if task.Status == domain.StatusRunning && task.Attempts >= task.MaxStarts() {
		return false, r.giveUp(ctx, task)
	}
	enqCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
	defer done()
	// The task's own item keeps its priority, and a scheduled task's RunAt.
	if err := r.deps.Queue.Enqueue(enqCtx, task.QueueItem()); err != nil {
		return false, err
	}
	r.deps.Observer.TaskRequeued(task.Type)
	r.deps.Log.Info("task_requeued_by_reconciler", "task_id", task.ID, "type", string(task.Type),
		"status", string(task.Status), "attempts", task.Attempts, "stale_ms", r.deps.Clock.Now().Sub(task.UpdatedAt).Milliseconds())
	return true, nil
}

// wakeParked wakes a parked parent whose children have all ended.
func (r *Reconciler) wakeParked(ctx context.Context, t domain.Task) (bool, error) {
	if r.deps.FanIn == nil {
		return false, nil
	}
	opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
	defer done()
	woken, err := r.deps.FanIn.WakeIfDone(opCtx, t.ID)
	if woken {
		r.deps.Observer.TaskRequeued(t.Type)
		r.deps.Log.Info("task_requeued_by_reconciler", "task_id", t.ID, "type", string(t.Type),
			"status", string(t.Status), "attempts", t.Attempts, "stale_ms", r.deps.Clock.Now().Sub(t.UpdatedAt).Milliseconds())
	}
	return woken, err
}

// giveUp fails a running task whose next start would exceed its allowance anyway.
func (r *Reconciler) giveUp(ctx context.Context, t domain.Task) error {
	opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
	defer done()
	now := r.deps.Clock.Now()
	failed, err := r.deps.Store.Update(opCtx, t.ID, func(cur *domain.Task) error {
		if cur.Status != domain.StatusRunning || !cur.UpdatedAt.Equal(t.UpdatedAt) {
			return errNotStale
		}
		return cur.Fail(domain.LostTooOften(cur), now)
	})
	if errors.Is(err, errNotStale) {
		return nil
	}
	if err != nil {
		return err
	}
	r.deps.Log.Warn("task_failed_by_reconciler", "task_id", failed.ID, "type", string(failed.Type),
		"attempts", failed.Attempts, "code", string(failed.Error.Code))
	return nil
}

var errNotStale = errors.New("task changed since it was listed")

func (r *Reconciler) contains(ctx context.Context, id string) (bool, error) {
	opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
	defer done()
	return r.deps.Queue.Contains(opCtx, id)
}

func (r *Reconciler) get(ctx context.Context, id string) (domain.Task, error) {
	opCtx, done := context.WithTimeout(ctx, r.cfg.OpTimeout)
	defer done()
	return r.deps.Store.Get(opCtx, id)
}
