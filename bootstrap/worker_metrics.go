package bootstrap

import (
	"context"
	"fmt"
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/metrics"
)

// workerMetricsModule serves /metrics from a worker-only process when WORKER_METRICS_ADDR
// is set (appOptions adds it only then): the task duration histogram is observed where
// tasks run, and in services mode that is not the API process. The listener is bound in
// OnStart, so an address in use fails start-up.
var workerMetricsModule = fx.Module("worker-metrics",
	fx.Provide(newWorkerMetricsServer),
	fx.Invoke(func(lc fx.Lifecycle, s *metrics.Server) {
		lc.Append(fx.Hook{
			OnStart: func(ctx context.Context) error {
				if err := s.Start(ctx); err != nil {
					return fmt.Errorf("WORKER_METRICS_ADDR: %w", err)
				}
				return nil
			},
			OnStop: s.Stop,
		})
	}),
)

func newWorkerMetricsServer(c Config, m *metrics.Metrics, log *slog.Logger) (*metrics.Server, error) {
	return metrics.NewServer(metrics.ServerConfig{Addr: c.WorkerMetricsAddr, Handler: m.Handler(), Log: log})
}
