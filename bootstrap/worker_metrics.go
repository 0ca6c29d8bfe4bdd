package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.uber.org/fx"

	"taskrunner/adapters/metrics"
)

// workerMetricsModule serves /metrics from a worker-only process when WORKER_METRICS_ADDR
// is set: the task duration histogram is observed where tasks run, and in services mode
// that is not the API process.
var workerMetricsModule = fx.Module("worker-metrics",
	fx.Invoke(func(lc fx.Lifecycle, c Config, m *metrics.Metrics, log *slog.Logger) {
		if c.WorkerMetricsAddr == "" {
			return
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		lc.Append(fx.Hook{
			OnStart: func(ctx context.Context) error {
				var lcfg net.ListenConfig
				ln, err := lcfg.Listen(ctx, "tcp", c.WorkerMetricsAddr)
				if err != nil {
					return fmt.Errorf("WORKER_METRICS_ADDR: %w", err)
				}
				go func() {
					if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
						log.Error("metrics_serve_failed", "error", err.Error())
					}
				}()
				log.Info("metrics_listening", "addr", ln.Addr().String())
				return nil
			},
			OnStop: srv.Shutdown,
		})
	}),
)
