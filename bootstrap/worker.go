package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/ports"
)

// workerModule runs the task workers and the reconciler, started after everything they use
// and stopped (drained) before it.
var workerModule = fx.Module("worker",
	fx.Provide(newWorker, newReconciler),
	fx.Invoke(func(lc fx.Lifecycle, w *application.Worker, r *application.Reconciler) {
		lc.Append(fx.Hook{OnStart: w.Start, OnStop: w.Stop})
		lc.Append(fx.Hook{OnStart: r.Start, OnStop: r.Stop})
	}),
)

type workerParams struct {
	fx.In
	Config   Config
	Store    ports.TaskStore
	Queue    ports.Queue
	Signals  ports.CancelSignals
	Clock    ports.Clock
	Handlers application.Handlers
	Observer ports.TaskObserver
	Log      *slog.Logger
}

func newWorker(p workerParams) (*application.Worker, error) {
	return application.NewWorker(application.WorkerDeps{
		Store: p.Store, Queue: p.Queue, Signals: p.Signals, Clock: p.Clock, Handlers: p.Handlers,
		Observer: p.Observer, Limits: p.Config.Limits, Log: p.Log,
	}, application.WorkerConfig{
		Concurrency:   p.Config.WorkerConcurrency,
		Lease:         p.Config.WorkerLease,
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
}

func newReconciler(p reconcilerParams) (*application.Reconciler, error) {
	return application.NewReconciler(application.ReconcilerDeps{
		Store: p.Store, Queue: p.Queue, Clock: p.Clock, Log: p.Log,
	}, application.ReconcilerConfig{Interval: p.Config.ReconcileInterval, Lease: p.Config.WorkerLease})
}
