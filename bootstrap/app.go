package bootstrap

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"taskrunner/adapters/sysclock"
	"taskrunner/domain"
	"taskrunner/ports"
)

// Role says which parts a process runs.
type Role int

// Roles: both parts (taskrunner dev), the API only, the workers only.
const (
	RoleAll Role = iota
	RoleAPI
	RoleWorker
)

func (r Role) String() string {
	switch r {
	case RoleAPI:
		return "api"
	case RoleWorker:
		return "worker"
	default:
		return "dev"
	}
}

// NewApp assembles the fx application for a mode and role. Logs go to logOut as JSON lines;
// extra options let tests replace or add components (fx.Decorate, fx.Populate).
func NewApp(cfg Config, role Role, logOut io.Writer, extra ...fx.Option) *fx.App {
	return fx.New(appOptions(cfg, role, logOut, extra...)...)
}

func appOptions(cfg Config, role Role, logOut io.Writer, extra ...fx.Option) []fx.Option {
	opts := []fx.Option{
		fx.Supply(cfg, role, fx.Annotate(sysclock.Clock{}, fx.As(new(ports.Clock)))),
		fx.Provide(
			func() *slog.Logger { return NewLogger(cfg, logOut).With("role", role.String()) },
			func() *domain.IDGenerator { return &domain.IDGenerator{} },
			func(c Config) domain.Limits { return c.Limits },
		),
		fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
			fl := &fxevent.SlogLogger{Logger: l}
			fl.UseLogLevel(slog.LevelDebug) // fx's own chatter only at debug
			// Every error fx logs it also returns, and Serve prints that once, as one line
			// (startupFailure): at info level the three lines fx adds would only repeat it.
			fl.UseErrorLevel(slog.LevelDebug)
			return fl
		}),
		fx.StartTimeout(startTimeout),
		fx.StopTimeout(cfg.ShutdownGrace + 15*time.Second),
		coreModule,
		eventsOptions(cfg),
		outboundModule,
		metricsModule,
		fx.Invoke(func(l *slog.Logger, c Config) {
			l.Info("taskrunner_starting", "version", Version, "config", c) // Config.LogValue hides secrets
			warnSearchSources(l, c)
		}),
	}
	switch cfg.Mode {
	case ModeServices:
		opts = append(opts, servicesModule)
	default:
		opts = append(opts, memoryModule)
	}
	if role != RoleWorker {
		opts = append(opts, apiModule)
	}
	if role != RoleAPI {
		opts = append(opts, workerModule, webhookModule, retentionModule)
	}
	if cfg.PprofAddr != "" {
		opts = append(opts, pprofModule)
	}
	if role == RoleWorker && cfg.WorkerMetricsAddr != "" {
		opts = append(opts, workerMetricsModule)
	}
	return append(opts, extra...)
}

// Serve runs the app until ctx ends, then stops it within the shutdown grace period.
func Serve(ctx context.Context, cfg Config, role Role, logOut io.Writer) error {
	app := NewApp(cfg, role, logOut)
	if err := app.Err(); err != nil {
		// The root cause ("Redis (REDIS_URL): redis URL is not valid ..."), not fx's chain of
		// every constructor that needed it.
		return startupFailure(err)
	}
	// Backing services are reached in OnStart hooks, within startCtx: SIGINT or SIGTERM
	// while one is slow to answer ends start-up at once.
	startCtx, cancel := context.WithTimeout(ctx, app.StartTimeout())
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("start-up interrupted: %w", ctx.Err())
		}
		// A hook's own error ("PostgreSQL (DATABASE_URL): ... connection refused"): fx
		// returns it unwrapped, and RootCause leaves anything that is not dig's as it is.
		return startupFailure(err)
	}
	<-ctx.Done()
	stopCtx, cancelStop := context.WithTimeout(context.Background(), app.StopTimeout())
	defer cancelStop()
	return app.Stop(stopCtx)
}

// serviceStartTimeout bounds reaching one backing service at start-up. startTimeout
// bounds the whole start: every service (one after another) and binding the listeners, so
// a service that never answers is named by its own error, not by the start deadline.
const (
	serviceStartTimeout = 20 * time.Second
	startTimeout        = 3*serviceStartTimeout + 5*time.Second
)
