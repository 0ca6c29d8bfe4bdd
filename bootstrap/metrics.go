package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/metrics"
	"taskrunner/ports"
)

// metricsModule provides the Prometheus registry: the workers report finished attempts to
// it as their ports.TaskObserver, and /metrics (the API's, or the worker's own listener)
// serves it.
var metricsModule = fx.Module("metrics",
	fx.Provide(fx.Annotate(newMetrics, fx.As(fx.Self()), fx.As(new(ports.TaskObserver)),
		fx.As(new(ports.WebhookObserver)), fx.As(new(ports.RetentionObserver)), fx.As(new(ports.WorkObserver)))),
)

func newMetrics(c Config, store ports.TaskStore, queue ports.Queue, clock ports.Clock, log *slog.Logger) *metrics.Metrics {
	return metrics.New(metrics.Config{Store: store, Queue: queue, Log: log, CacheTTL: c.MetricsCacheTTL, Clock: clock})
}
