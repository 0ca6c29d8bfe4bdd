package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/demo"
	"taskrunner/adapters/memory"
	"taskrunner/ports"
)

// memoryModule provides every storage and queue port in memory: one process, nothing to
// install, nothing kept after exit. The task store keeps at most MEMORY_MAX_FINISHED_TASKS
// finished tasks, freeing the oldest with their artifacts, runs and unreferenced blobs, so
// a long-running dev server does not grow without bound; it therefore needs the other
// stores as they are (fx.Self), not only as their ports. The offline demo search provider
// joins the providers in this mode only (DESIGN.md).
var memoryModule = fx.Module("memory",
	fx.Provide(
		fx.Annotate(memory.NewArtifactStore, fx.As(fx.Self()), fx.As(new(ports.ArtifactStore))),
		fx.Annotate(memory.NewBlobStore, fx.As(fx.Self()), fx.As(new(ports.BlobStore))),
		fx.Annotate(memory.NewRunStore, fx.As(fx.Self()), fx.As(new(ports.RunStore))),
		fx.Annotate(newMemoryTaskStore, fx.As(fx.Self()), fx.As(new(ports.TaskStore)), fx.As(new(ports.TaskBatchStore)),
			fx.As(new(ports.CallbackOutbox)),
			fx.As(new(ports.DuePromoter)), fx.As(new(ports.TaskStats))),
		fx.Annotate(newMemoryRetentionStore, fx.As(new(ports.RetentionStore))),
		fx.Annotate(memory.NewQueue, fx.As(fx.Self()), fx.As(new(ports.Queue)), fx.As(new(ports.BatchQueue))),
		fx.Annotate(memory.NewCache, fx.As(new(ports.Cache))),
		fx.Annotate(memory.NewRateLimiter, fx.As(new(ports.RateLimiter))),
		fx.Annotate(memory.NewHostPacer, fx.As(new(ports.HostPacer))),
		fx.Annotate(memory.NewCancelSignals, fx.As(new(ports.CancelSignals))),
		fx.Annotate(memory.NewScheduleStore, fx.As(new(ports.ScheduleStore))),
		fx.Annotate(newDemo, fx.As(new(ports.SearchProvider)), fx.ResultTags(searchProviderGroup)),
		healthCheck[*memory.RetainingTaskStore]("store"),
		healthCheck[*memory.Queue]("queue"),
		healthCheck[*memory.BlobStore]("blobs"),
	),
)

func newMemoryTaskStore(c Config, a *memory.ArtifactStore, b *memory.BlobStore, r *memory.RunStore, log *slog.Logger) *memory.RetainingTaskStore {
	return memory.NewRetainingTaskStore(memory.NewTaskStore(), memory.Retention{
		MaxFinished: c.MemoryMaxFinishedTasks, Artifacts: a, Blobs: b, Runs: r, Log: log})
}

func newDemo(clock ports.Clock) *demo.Provider { return demo.New(demo.Config{Clock: clock}) }

// newMemoryRetentionStore applies TASK_RETENTION_DAYS to the memory stores, beside the
// count cap of MEMORY_MAX_FINISHED_TASKS: whichever rule reaches a task first removes it.
func newMemoryRetentionStore(t *memory.RetainingTaskStore, a *memory.ArtifactStore, r *memory.RunStore) *memory.RetentionStore {
	return memory.NewRetentionStore(t.TaskStore, a, r)
}
