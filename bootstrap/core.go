package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// coreModule provides the application services and the task handlers; it depends only on
// ports, which the mode module (memory or services) provides.
var coreModule = fx.Module("core",
	fx.Provide(
		newHandlers,
		newTaskService,
		newArtifactService,
		application.NewRunService,
		newMetrics,
		newFetcher,
	),
)

func newHandlers(p handlerParams) (application.Handlers, error) {
	h := application.Handlers{
		domain.TaskEcho:  application.NewEchoHandler(),
		domain.TaskSleep: application.NewSleepHandler(),
	}
	if err := addSearchHandlers(h, p); err != nil {
		return nil, err
	}
	if err := addFetchHandler(h, p); err != nil {
		return nil, err
	}
	return h, nil
}

// handlerParams are what the task handlers may need.
type handlerParams struct {
	fx.In
	Config    Config
	Artifacts *application.ArtifactService
	Cache     ports.Cache
	Runs      ports.RunStore
	Clock     ports.Clock
	IDs       *domain.IDGenerator
	Log       *slog.Logger
	Fetcher   *web.Fetcher
}

type taskServiceParams struct {
	fx.In
	Store    ports.TaskStore
	Queue    ports.Queue
	Limiter  ports.RateLimiter
	Signals  ports.CancelSignals
	Clock    ports.Clock
	IDs      *domain.IDGenerator
	Handlers application.Handlers
	Config   Config
	Log      *slog.Logger
}

func newTaskService(p taskServiceParams) (*application.TaskService, error) {
	return application.NewTaskService(application.TaskDeps{
		Store: p.Store, Queue: p.Queue, Limiter: p.Limiter, Signals: p.Signals, Clock: p.Clock,
		IDs: p.IDs, Handlers: p.Handlers, Limits: p.Config.Limits, Log: p.Log,
	})
}

type artifactServiceParams struct {
	fx.In
	Store   ports.ArtifactStore
	Blobs   ports.BlobStore
	Tasks   ports.TaskStore
	Limiter ports.RateLimiter
	Clock   ports.Clock
	IDs     *domain.IDGenerator
	Config  Config
	Log     *slog.Logger
}

func newArtifactService(p artifactServiceParams) (*application.ArtifactService, error) {
	return application.NewArtifactService(application.ArtifactDeps{
		Store: p.Store, Blobs: p.Blobs, Tasks: p.Tasks, Limiter: p.Limiter, Clock: p.Clock, IDs: p.IDs,
		Limits: p.Config.Limits, Log: p.Log,
	})
}
