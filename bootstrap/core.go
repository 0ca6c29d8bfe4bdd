package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// coreModule provides the application services and the task handlers. It depends only on
// ports (and the config), which the mode module (memory or services), outboundModule and
// metricsModule provide; so a test replaces any adapter with fx.Decorate on its port.
var coreModule = fx.Module("core",
	fx.Provide(
		newHandlers,
		newFanIn,
		newTaskService,
		newArtifactService,
		application.NewRunService,
		newScheduleDeps,
		application.NewScheduleService,
		fx.Annotate(newSearchProviders, fx.ParamTags(searchProviderGroup)),
	),
)

type taskServiceParams struct {
	fx.In
	Store    ports.TaskStore
	Batch    ports.TaskBatchStore
	Queue    ports.Queue
	BatchQ   ports.BatchQueue
	Limiter  ports.RateLimiter
	Signals  ports.CancelSignals
	Clock    ports.Clock
	IDs      *domain.IDGenerator
	Handlers application.Handlers
	Config   Config
	Log      *slog.Logger
	// Callbacks, in a process that runs workers, is nudged when a cancel finishes a task.
	Callbacks *application.CallbackDeliverer `optional:"true"`
	FanIn     *application.FanIn
}

func newTaskService(p taskServiceParams) (*application.TaskService, error) {
	return application.NewTaskService(application.TaskDeps{
		Store: p.Store, Queue: p.Queue, Limiter: p.Limiter, Signals: p.Signals, Clock: p.Clock,
		IDs: p.IDs, Handlers: p.Handlers, Limits: p.Config.Limits, Log: p.Log,
		Batch: p.Batch, BatchQueue: p.BatchQ, GroupCommit: p.Config.Mode == ModeServices,
		CallbackDue: callbackNudge(p.Callbacks), FanIn: p.FanIn,
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

// newSearchProviders indexes the providers of the group by name.
func newSearchProviders(list []ports.SearchProvider) (application.SearchProviders, error) {
	return application.NewSearchProviders(list...)
}
