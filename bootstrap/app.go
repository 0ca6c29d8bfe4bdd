package bootstrap

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"go.uber.org/dig"
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

// HealthChecks names the backing services /health pings ("store", "queue", "blobs").
type HealthChecks map[string]ports.Pinger

// NewApp assembles the fx application for a mode and role. Logs go to logOut as JSON lines;
// extra options let tests replace or add components (fx.Decorate, fx.Populate).
func NewApp(cfg Config, role Role, logOut io.Writer, extra ...fx.Option) *fx.App {
	return fx.New(appOptions(cfg, role, logOut, extra...)...)
}

func appOptions(cfg Config, role Role, logOut io.Writer, extra ...fx.Option) []fx.Option {
	opts := []fx.Option{
		fx.Supply(cfg, role),
		fx.Provide(
			func() *slog.Logger { return NewLogger(cfg, logOut).With("role", role.String()) },
			func() ports.Clock { return sysclock.Clock{} },
			func() *domain.IDGenerator { return &domain.IDGenerator{} },
			func(c Config) domain.Limits { return c.Limits },
		),
		fx.WithLogger(func(l *slog.Logger) fxevent.Logger {
			fl := &fxevent.SlogLogger{Logger: l}
			fl.UseLogLevel(slog.LevelDebug) // fx's own chatter only at debug; errors stay errors
			return fl
		}),
		fx.StartTimeout(startTimeout + 5*time.Second),
		fx.StopTimeout(cfg.ShutdownGrace + 15*time.Second),
		coreModule,
		fx.Invoke(func(l *slog.Logger, c Config) {
			l.Info("taskrunner_starting", "version", Version, "config", c) // Config.LogValue hides secrets
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
		opts = append(opts, workerModule)
	}
	if role == RoleWorker {
		opts = append(opts, workerMetricsModule)
	}
	return append(opts, extra...)
}

// Serve runs the app until ctx ends, then stops it within the shutdown grace period.
func Serve(ctx context.Context, cfg Config, role Role, logOut io.Writer) error {
	app := NewApp(cfg, role, logOut)
	if err := app.Err(); err != nil {
		// The root cause ("PostgreSQL (DATABASE_URL): connection refused"), not fx's chain of
		// every constructor that needed it.
		return fmt.Errorf("start-up failed: %w", dig.RootCause(err))
	}
	startCtx, cancel := context.WithTimeout(ctx, app.StartTimeout())
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return fmt.Errorf("start-up failed: %w", dig.RootCause(err))
	}
	<-ctx.Done()
	stopCtx, cancelStop := context.WithTimeout(context.Background(), app.StopTimeout())
	defer cancelStop()
	return app.Stop(stopCtx)
}

// startTimeout bounds connecting to each backing service at start-up.
const startTimeout = 30 * time.Second
