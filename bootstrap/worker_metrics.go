package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"syscall"

	"go.uber.org/fx"

	"taskrunner/adapters/metrics"
)

// DefaultWorkerMetricsAddr is where `taskrunner worker` serves /metrics unless
// WORKER_METRICS_ADDR says otherwise ("off" turns it off). Loopback only: a scraper on the
// same host (or a sidecar) reads it, and nothing is exposed by default.
const DefaultWorkerMetricsAddr = "127.0.0.1:9100"

// workerMetricsAddr maps the setting's "off" to "" (no listener).
func workerMetricsAddr(v string) string {
	if v == "off" {
		return ""
	}
	return v
}

// workerMetricsModule serves /metrics from a worker-only process (appOptions adds it
// unless WORKER_METRICS_ADDR is off): the worker's series (task durations, retries, the
// tasks in flight, provider and fetch latency) are observed where tasks run, and in
// services mode that is not the API process. An address set on purpose that is in use
// fails start-up; the default address in use (a second worker on the same host) is only
// a warning, since metrics are not worth refusing to run tasks for.
var workerMetricsModule = fx.Module("worker-metrics",
	fx.Provide(newWorkerMetricsServer),
	fx.Invoke(func(lc fx.Lifecycle, c Config, s *metrics.Server, log *slog.Logger) {
		lc.Append(fx.Hook{
			OnStart: func(ctx context.Context) error {
				err := s.Start(ctx)
				if err != nil && c.WorkerMetricsAddr == DefaultWorkerMetricsAddr && errors.Is(err, syscall.EADDRINUSE) {
					log.Warn("worker_metrics_unavailable", "addr", c.WorkerMetricsAddr, "error", err.Error())
					return nil
				}
				if err != nil {
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
