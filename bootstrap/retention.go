package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/ports"
)

// retentionModule runs retention (TASK_RETENTION_DAYS) where the workers run: in every
// worker process in services mode (each pass is safe beside the others'; see
// application.Retention) and in the one process of memory mode.
var retentionModule = fx.Module("retention",
	fx.Provide(newRetention),
	fx.Invoke(func(lc fx.Lifecycle, r *application.Retention) {
		lc.Append(fx.Hook{OnStart: r.Start, OnStop: r.Stop})
	}),
)

type retentionParams struct {
	fx.In
	Config   Config
	Store    ports.RetentionStore
	Blobs    ports.BlobStore
	Clock    ports.Clock
	Observer ports.RetentionObserver
	Log      *slog.Logger
}

func newRetention(p retentionParams) (*application.Retention, error) {
	return application.NewRetention(application.RetentionDeps{
		Store: p.Store, Blobs: p.Blobs, Clock: p.Clock, Observer: p.Observer, Log: p.Log,
	}, application.RetentionConfig{Days: p.Config.Limits.TaskRetentionDays, Interval: p.Config.RetentionInterval})
}
