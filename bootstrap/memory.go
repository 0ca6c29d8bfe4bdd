package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/memory"
	"taskrunner/ports"
)

// memoryModule provides every storage and queue port in memory: one process, nothing to
// install, nothing kept after exit. The task store keeps at most MEMORY_MAX_FINISHED_TASKS
// finished tasks, freeing the oldest with their artifacts, runs and unreferenced blobs, so
// a long-running dev server does not grow without bound.
var memoryModule = fx.Module("memory",
	fx.Provide(
		memory.NewArtifactStore,
		memory.NewBlobStore,
		memory.NewRunStore,
		func(c Config, a *memory.ArtifactStore, b *memory.BlobStore, r *memory.RunStore, log *slog.Logger) ports.TaskStore {
			return memory.NewRetainingTaskStore(memory.NewTaskStore(), memory.Retention{
				MaxFinished: c.MemoryMaxFinishedTasks, Artifacts: a, Blobs: b, Runs: r, Log: log})
		},
		func(a *memory.ArtifactStore) ports.ArtifactStore { return a },
		func(b *memory.BlobStore) ports.BlobStore { return b },
		func(r *memory.RunStore) ports.RunStore { return r },
		fx.Annotate(memory.NewQueue, fx.As(new(ports.Queue))),
		fx.Annotate(memory.NewCache, fx.As(new(ports.Cache))),
		fx.Annotate(memory.NewRateLimiter, fx.As(new(ports.RateLimiter))),
		fx.Annotate(memory.NewCancelSignals, fx.As(new(ports.CancelSignals))),
		func(t ports.TaskStore, q ports.Queue, b ports.BlobStore) HealthChecks {
			return HealthChecks{"store": t.(ports.Pinger), "queue": q.(ports.Pinger), "blobs": b.(ports.Pinger)}
		},
	),
)
