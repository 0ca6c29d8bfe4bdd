package application

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// WorkerDeps are the ports the worker needs.
type WorkerDeps struct {
	Store    ports.TaskStore
	Queue    ports.Queue
	Signals  ports.CancelSignals
	Clock    ports.Clock
	Handlers Handlers
	Observer ports.TaskObserver // nil: no metrics
	// Work counts retries, redeliveries and the tasks in flight; nil: no metrics.
	Work   ports.WorkObserver
	Limits domain.Limits
	Log    *slog.Logger
	// Batch and BatchQueue, when both are set, batch the worker's round trips
	// (worker_batch.go); without them each call goes alone.
	Batch      ports.TaskBatchStore
	BatchQueue ports.BatchQueue
	// CallbackDue is told when an attempt made a task with a callback final (the
	// deliverer's Nudge); nil when this process delivers none.
	CallbackDue func()
	// Identity names this worker process (host and pid) in the attempts it starts; the
	// zero value leaves them unnamed.
	Identity domain.WorkerID
	// FanIn wakes a parked parent when its last child ends and cancels a cancelled
	// parent's children; nil when no handler spawns children.
	FanIn *FanIn
}

// WorkerConfig tunes the worker. Zero values take the defaults named on each field.
type WorkerConfig struct {
	Concurrency int           // tasks run at once; default 8
	Lease       time.Duration // queue lease per delivery; default 30s
	Heartbeat   time.Duration // lease extension interval; default Lease/3
	RetryBase   time.Duration // first retry delay before jitter; default 1s
	RetryMax    time.Duration // retry delay cap; default 5m
	// KillGrace is how long the worker still waits for a handler after its context ended
	// (deadline, cancel, shutdown) before it abandons the handler's goroutine; default 500ms.
	KillGrace time.Duration
	// ShutdownGrace is how long Stop lets running tasks finish before handing them back.
	// Zero is a real value, not "use the default": running tasks are handed back at once.
	// Stop shortens it further when its context would otherwise end before the hand-back.
	ShutdownGrace time.Duration
	// OpTimeout bounds each store or queue call the worker makes; default 10s.
	OpTimeout time.Duration
	// Beat is how often heartbeat_at and progress of long-running tasks are written;
	// default DefaultBeatInterval.
	Beat time.Duration
	// StartDelay is how long a handler runs before its start is written alone, when the
	// start was left to be written late (worker_late_start.go); default DefaultStartDelay.
	StartDelay time.Duration
}

// Worker defaults.
const (
	DefaultWorkerConcurrency = 8
	DefaultWorkerLease       = 30 * time.Second
	DefaultRetryBase         = time.Second
	DefaultRetryMax          = 5 * time.Minute
	DefaultKillGrace         = 500 * time.Millisecond
	DefaultShutdownGrace     = 30 * time.Second // bootstrap's default for ShutdownGrace
	DefaultWorkerOpTimeout   = 10 * time.Second
	// DefaultStartDelay: the start of a task shorter than this is written with its
	// outcome; a longer task shows running this much after its handler began.
	DefaultStartDelay = 25 * time.Millisecond
)

func (c WorkerConfig) withDefaults() (WorkerConfig, error) {
	for name, d := range map[string]time.Duration{"Lease": c.Lease, "Heartbeat": c.Heartbeat,
		"RetryBase": c.RetryBase, "RetryMax": c.RetryMax, "KillGrace": c.KillGrace,
		"ShutdownGrace": c.ShutdownGrace, "OpTimeout": c.OpTimeout, "Beat": c.Beat, "StartDelay": c.StartDelay} {
		if d < 0 {
			return c, fmt.Errorf("application: worker %s must not be negative, got %s", name, d)
		}
	}
	if c.Concurrency < 0 {
		return c, fmt.Errorf("application: worker Concurrency must not be negative, got %d", c.Concurrency)
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultWorkerConcurrency
	}
	if c.Lease == 0 {
		c.Lease = DefaultWorkerLease
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = c.Lease / 3
	}
	if c.Heartbeat >= c.Lease {
		// Beats slower than the lease would let every long task's lease lapse.
		return c, fmt.Errorf("application: worker Heartbeat (%s) must be shorter than Lease (%s)", c.Heartbeat, c.Lease)
	}
	if c.RetryBase == 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.RetryMax == 0 {
		c.RetryMax = DefaultRetryMax
	}
	if c.RetryMax < c.RetryBase {
		c.RetryMax = c.RetryBase
	}
	if c.KillGrace == 0 {
		c.KillGrace = DefaultKillGrace
	}
	if c.OpTimeout == 0 {
		c.OpTimeout = DefaultWorkerOpTimeout
	}
	if c.Beat == 0 {
		c.Beat = DefaultBeatInterval
	}
	if c.StartDelay == 0 {
		c.StartDelay = DefaultStartDelay
	}
	return c, nil
}

// Why a handler's context ended; read back with context.Cause.
var (
	errCancelRequested = errors.New("task cancel requested")
	errLeaseLost       = errors.New("task lease lost to another worker")
	errShutdown        = errors.New("worker shutting down")
	errRuntimeExceeded = errors.New("task runtime exceeded")
)

// Worker takes task ids off the queue and runs their handlers: one loop per unit of
// concurrency, each blocked in Queue.Dequeue while idle. Running tasks share no lock: their
// cancel functions sit in a sync.Map keyed by task id, for the cancel-signal listener.
type Worker struct {
	deps WorkerDeps
	cfg  WorkerConfig
	obs  ports.TaskObserver
	work ports.WorkObserver

	inflight   sync.Map       // task id → *inflight
	lateStarts sync.Map       // lease token → *domain.LateStart not yet written
	endAcks    sync.Map       // lease token → endAck: acked with the write that ended its task
	batches    *workerBatches // nil: every store and queue call goes alone

	mu       sync.Mutex
	started  bool
	stopped  chan struct{} // closed when a Stop has finished
	stopErr  error
	stopping bool

	// runCtx ends when Stop begins: loops take no more work. hardCtx ends when the shutdown
	// grace is over: running handlers are cancelled (cause errShutdown). abortCtx ends when
	// Stop's own ctx does: store and queue calls give up.
	runCtx      context.Context
	stopRun     context.CancelFunc
	hardCtx     context.Context
	stopHard    context.CancelCauseFunc
	abortCtx    context.Context
	abort       context.CancelFunc
	stopSignals context.CancelFunc
	loops       sync.WaitGroup
	completions chan struct{} // one token per outcome being written (worker_run.go)
	signalsDone chan struct{}
	stopBeats   context.CancelFunc // ends the beats once the loops are done
	beatsDone   chan struct{}
}

// inflight is one running attempt, as the cancel listener and the beats see it.
type inflight struct {
	cancel context.CancelCauseFunc
	view   *attemptView
}

// NewWorker returns a worker, or an error naming a missing dependency or a bad setting.
func NewWorker(d WorkerDeps, cfg WorkerConfig) (*Worker, error) {
	if d.Store == nil || d.Queue == nil || d.Signals == nil || d.Clock == nil || d.Log == nil || len(d.Handlers) == 0 {
		return nil, errors.New("application: worker needs Store, Queue, Signals, Clock, Handlers and Log")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w := &Worker{deps: d, cfg: c, obs: d.Observer, work: workObserverOr(d.Work), stopped: make(chan struct{})}
	if w.obs == nil {
		w.obs = noObserver{}
	}
	return w, nil
}

// Config returns the effective configuration, defaults applied.
func (w *Worker) Config() WorkerConfig { return w.cfg }

// Start subscribes to cancel signals (before it returns, so no signal published afterwards
// is missed) and starts the loops. It does not block; ctx bounds only the subscription
// call, the worker runs until Stop. Starting twice, or after Stop, is an error.
func (w *Worker) Start(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started || w.stopping {
		return errors.New("application: worker already started or stopped; make a new one")
	}
	base := context.WithoutCancel(ctx)
	sigCtx, stopSignals := context.WithCancel(base)
	ch, err := subscribe(ctx, sigCtx, w.deps.Signals)
	if err != nil {
		stopSignals()
		return fmt.Errorf("application: worker cannot subscribe to cancel signals: %w", err)
	}
	w.started = true
	w.stopSignals = stopSignals
	w.runCtx, w.stopRun = context.WithCancel(base)
	w.hardCtx, w.stopHard = context.WithCancelCause(base)
	w.abortCtx, w.abort = context.WithCancel(base)
	w.signalsDone = make(chan struct{})
	w.batches = w.newWorkerBatches()
	w.completions = make(chan struct{}, pendingOutcomes(w.cfg.Concurrency))
	go w.listen(sigCtx, ch)
	beatCtx, stopBeats := context.WithCancel(base)
	w.stopBeats, w.beatsDone = stopBeats, make(chan struct{})
	go w.beats(beatCtx)
	for i := 0; i < w.cfg.Concurrency; i++ {
		w.loops.Add(1)
		go w.loop()
	}
	w.deps.Log.InfoContext(ctx, "worker_started", "concurrency", w.cfg.Concurrency,
		"lease_ms", w.cfg.Lease.Milliseconds(), "heartbeat_ms", w.cfg.Heartbeat.Milliseconds())
	return nil
}

// Stop stops taking work, lets running tasks finish for up to ShutdownGrace (or until ctx
// ends), then cancels the rest and hands them back to the queue. It is idempotent: later
// calls wait for the first one and return its result; Stop before Start does nothing.
func (w *Worker) Stop(ctx context.Context) error {
	w.mu.Lock()
	if !w.started {
		w.stopping = true
		w.mu.Unlock()
		return nil
	}
	if w.stopping {
		w.mu.Unlock()
		select {
		case <-w.stopped:
			return w.stopErr
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	w.stopping = true
	w.mu.Unlock()

	w.stopErr = w.shutdown(ctx)
	close(w.stopped)
	return w.stopErr
}

func (w *Worker) shutdown(ctx context.Context) error {
	w.stopRun()
	loopsDone := make(chan struct{})
	go func() { w.loops.Wait(); close(loopsDone) }()

	graceFor := w.graceWithin(ctx)
	w.deps.Log.InfoContext(ctx, "worker_stopping", "grace_ms", graceFor.Milliseconds())
	grace := time.NewTimer(graceFor)
	defer grace.Stop()
	var err error
	select {
	case <-loopsDone:
	case <-grace.C:
	case <-ctx.Done():
		err = ctx.Err()
	}
	w.stopHard(errShutdown)
	select {
	case <-loopsDone:
	case <-ctx.Done():
		err = ctx.Err()
		// Store and queue calls give up now; handlers were cancelled above and are waited
		// for at most KillGrace, so the loops end promptly.
		w.abort()
		<-loopsDone
	}
	w.stopBeats()
	<-w.beatsDone
	w.abort()
	w.stopSignals()
	<-w.signalsDone
	w.deps.Log.InfoContext(ctx, "worker_stopped")
	return err
}

// graceWithin is the shutdown grace, cut short so that the hand-back that follows it (the
// handlers' KillGrace, then one store write and one queue call per task) still fits
// before ctx's deadline: a task left running when the process exits keeps its lease and
// waits for it to expire before anyone can run it again.
func (w *Worker) graceWithin(ctx context.Context) time.Duration {
	g := w.cfg.ShutdownGrace
	if dl, ok := ctx.Deadline(); ok {
		reserve := w.cfg.KillGrace + w.cfg.OpTimeout
		g = min(g, max(0, time.Until(dl)-reserve))
	}
	return g
}

type noObserver struct{}

func (noObserver) TaskFinished(domain.TaskType, domain.Status, time.Duration) {}
