package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/metrics"
	"taskrunner/application"
	"taskrunner/ports"
)

// apiModule serves the REST API. The listener is bound in OnStart, so a port already in use
// fails start-up instead of a background goroutine.
var apiModule = fx.Module("api",
	fx.Provide(newHTTPServer),
	fx.Invoke(func(lc fx.Lifecycle, s *httpapi.Server) {
		lc.Append(fx.Hook{OnStart: s.Start, OnStop: s.Stop})
	}),
)

type httpServerParams struct {
	fx.In
	Config    Config
	Tasks     *application.TaskService
	Artifacts *application.ArtifactService
	Runs      *application.RunService
	Health    HealthChecks
	Metrics   *metrics.Metrics
	Clock     ports.Clock
	Log       *slog.Logger
}

func newHTTPServer(p httpServerParams) (*httpapi.Server, error) {
	return httpapi.New(httpapi.Deps{
		Tasks: p.Tasks, Artifacts: p.Artifacts, Runs: p.Runs, Health: map[string]ports.Pinger(p.Health),
		Metrics: p.Metrics, Log: p.Log, Clock: p.Clock,
	}, httpapi.Config{Addr: p.Config.HTTPAddr, Limits: p.Config.Limits, APITokens: p.Config.APITokens,
		TrustedProxies: p.Config.TrustedProxies})
}

func newMetrics(c Config, store ports.TaskStore, queue ports.Queue, clock ports.Clock, log *slog.Logger) *metrics.Metrics {
	return metrics.New(metrics.Config{Store: store, Queue: queue, Log: log, CacheTTL: c.MetricsCacheTTL, Clock: clock})
}
