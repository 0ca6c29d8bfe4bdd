package bootstrap

import (
	"log/slog"

	"taskrunner/adapters/metrics"
)

// workerMetricsModule serves /metrics from a worker-only process when WORKER_METRICS_ADDR
// is set (appOptions adds it only then): the task duration histogram is observed where
// tasks run, and in services mode that is not the API process.
var workerMetricsModule = ownListenerModule("worker-metrics", "WORKER_METRICS_ADDR", ``, newWorkerMetricsServer)

func newWorkerMetricsServer(c Config, m *metrics.Metrics, log *slog.Logger) (*metrics.Server, error) {
	return metrics.NewServer(metrics.ServerConfig{Addr: c.WorkerMetricsAddr, Handler: m.Handler(), Log: log})
}
