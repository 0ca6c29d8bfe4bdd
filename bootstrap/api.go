package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/metrics"
	"taskrunner/adapters/webui"
	"taskrunner/application"
	"taskrunner/ports"
)

// apiModule serves the REST API. The listener is bound in OnStart, so a port already in use
// fails start-up instead of a background goroutine.
var apiModule = fx.Module("api",
	fx.Provide(
		newHTTPServer,
		newEventHub,
		newTaskDeletion,
		newStatsService,
		fx.Annotate(newHealthChecks, fx.ParamTags(healthGroup)),
	),
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
	Schedules *application.ScheduleService
	Deletion  *application.TaskDeletion
	Stats     *application.StatsService
	Health    map[string]ports.Pinger
	Metrics   *metrics.Metrics
	Clock     ports.Clock
	Log       *slog.Logger
	Events    *application.EventHub
}

func newHTTPServer(p httpServerParams) (*httpapi.Server, error) {
	ui, err := webui.New(webui.Deps{Tasks: p.Tasks, Artifacts: p.Artifacts, Schedules: p.Schedules, Log: p.Log},
		webui.Config{APITokens: p.Config.APITokens, Limits: p.Config.Limits})
	if err != nil {
		return nil, err
	}
	return httpapi.New(httpapi.Deps{
		Tasks: p.Tasks, Artifacts: p.Artifacts, Runs: p.Runs, Schedules: p.Schedules, Health: p.Health,
		Deletion: p.Deletion, Stats: p.Stats,
		Requests: p.Metrics, MetricsHandler: p.Metrics.Handler(), Log: p.Log, Clock: p.Clock, Pages: ui,
		Events: p.Events,
	}, httpapi.Config{Addr: p.Config.HTTPAddr, Limits: p.Config.Limits, APITokens: p.Config.APITokens,
		TrustedProxies: p.Config.TrustedProxies, EventsKeepAlive: p.Config.EventsKeepAlive,
		Settings: apiSettings(p.Config)})
}

type taskDeletionParams struct {
	fx.In
	Store    ports.RetentionStore
	Blobs    ports.BlobStore
	Observer ports.RetentionObserver
	Log      *slog.Logger
}

func newTaskDeletion(p taskDeletionParams) (*application.TaskDeletion, error) {
	return application.NewTaskDeletion(application.TaskDeletionDeps{Store: p.Store, Blobs: p.Blobs, Observer: p.Observer, Log: p.Log})
}

func newStatsService(store ports.TaskStore, stats ports.TaskStats, clock ports.Clock) (*application.StatsService, error) {
	return application.NewStatsService(application.StatsDeps{Store: store, Stats: stats, Clock: clock})
}

// apiSettings are the settings of c that GET /limits shows beside the limits.
func apiSettings(c Config) httpapi.Settings {
	return httpapi.Settings{
		WebhookMaxAttempts:          c.Webhooks.MaxAttempts,
		WebhookAllowPrivateNetworks: c.Webhooks.AllowPrivateNetworks,
		FetchHostMinInterval:        c.Politeness.HostInterval,
		FetchRespectRobots:          c.Politeness.RespectRobots,
		FetchRobotsTTL:              c.Politeness.RobotsTTL,
	}
}
