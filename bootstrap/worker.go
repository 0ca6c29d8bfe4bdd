package bootstrap

import (
	"log/slog"
	"os"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// workerModule runs the task workers and the reconciler, started after everything they use
// and stopped (drained) before it.
var workerModule = fx.Module("worker",
	fx.Provide(newWorker, newReconciler, newPromoter, newScheduler),
	fx.Invoke(func(lc fx.Lifecycle, w *application.Worker, r *application.Reconciler, p *application.Promoter, sc *application.Scheduler) {
		lc.Append(fx.Hook{OnStart: w.Start, OnStop: w.Stop})
		lc.Append(fx.Hook{OnStart: r.Start, OnStop: r.Stop})
		lc.Append(fx.Hook{OnStart: p.Start, OnStop: p.Stop})
		lc.Append(fx.Hook{OnStart: sc.Start, OnStop: sc.Stop})
	}),
)

type workerParams struct {
	fx.In
	Config   Config
	Store    ports.TaskStore
	Batch    ports.TaskBatchStore
	Queue    ports.Queue
	BatchQ   ports.BatchQueue
	Signals  ports.CancelSignals
	Clock    ports.Clock
	Handlers application.Handlers
	Observer ports.TaskObserver
	Work     ports.WorkObserver
	Log      *slog.Logger
	// Callbacks is nudged when a worker finishes a task with a callback.
	Callbacks *application.CallbackDeliverer `optional:"true"`
	FanIn     *application.FanIn
}

func newWorker(p workerParams) (*application.Worker, error) {
	return application.NewWorker(application.WorkerDeps{
		Store: p.Store, Queue: p.Queue, Signals: p.Signals, Clock: p.Clock, Handlers: p.Handlers,
		Observer: p.Observer, Work: p.Work, Limits: p.Config.Limits, Log: p.Log, Batch: batchIn(p.Config, p.Batch), BatchQueue: batchIn(p.Config, p.BatchQ),
		CallbackDue: callbackNudge(p.Callbacks), FanIn: p.FanIn,
		Identity: workerIdentity(),
	}, application.WorkerConfig{
		Concurrency:   p.Config.WorkerConcurrency,
		Lease:         p.Config.WorkerLease,
		Beat:          p.Config.WorkerBeat,
		RetryBase:     p.Config.RetryBaseDelay,
		ShutdownGrace: p.Config.ShutdownGrace,
	})
}

type reconcilerParams struct {
	fx.In
	Config Config
	Store  ports.TaskStore
	Queue  ports.Queue
	Clock  ports.Clock
	Log    *slog.Logger
	FanIn  *application.FanIn
	Work   ports.WorkObserver
}

func newReconciler(p reconcilerParams) (*application.Reconciler, error) {
	return application.NewReconciler(application.ReconcilerDeps{
		Store: p.Store, Queue: p.Queue, Clock: p.Clock, Log: p.Log, FanIn: p.FanIn, Observer: p.Work,
	}, application.ReconcilerConfig{Interval: p.Config.ReconcileInterval, Lease: p.Config.WorkerLease})
}

type promoterParams struct {
	fx.In
	Store ports.DuePromoter
	Clock ports.Clock
	Log   *slog.Logger
}

// newPromoter runs due promotion (scheduled -> queued in the record) beside every worker;
// see application/promoter.go for why that is cheap enough to run everywhere.
func newPromoter(p promoterParams) (*application.Promoter, error) {
	return application.NewPromoter(application.PromoterDeps{Store: p.Store, Clock: p.Clock, Log: p.Log},
		application.PromoterConfig{})
}

// batchIn is port in services mode and nil in memory mode: batching saves round trips to
// PostgreSQL and Redis, and in memory there are none to save, only the hand-offs it costs
// (make bench measured memory mode slower with it).
func batchIn[T any](c Config, port T) T {
	if c.Mode == ModeServices {
		return port
	}
	var none T
	return none
}

// workerIdentity names this process in the attempts it starts: its host name and pid.
func workerIdentity() domain.WorkerID {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	return domain.WorkerID{Host: domain.StorableText(host), PID: os.Getpid()}
}
