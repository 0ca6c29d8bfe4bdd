package bootstrap

import (
	"go.uber.org/fx"

	"taskrunner/adapters/memory"
	"taskrunner/ports"
)

// memoryModule provides every storage and queue port in memory: one process, nothing to
// install, nothing kept after exit.
var memoryModule = fx.Module("memory",
	fx.Provide(
		fx.Annotate(memory.NewTaskStore, fx.As(new(ports.TaskStore))),
		fx.Annotate(memory.NewArtifactStore, fx.As(new(ports.ArtifactStore))),
		fx.Annotate(memory.NewRunStore, fx.As(new(ports.RunStore))),
		fx.Annotate(memory.NewQueue, fx.As(new(ports.Queue))),
		fx.Annotate(memory.NewCache, fx.As(new(ports.Cache))),
		fx.Annotate(memory.NewRateLimiter, fx.As(new(ports.RateLimiter))),
		fx.Annotate(memory.NewCancelSignals, fx.As(new(ports.CancelSignals))),
		fx.Annotate(memory.NewBlobStore, fx.As(new(ports.BlobStore))),
		func(t ports.TaskStore, q ports.Queue, b ports.BlobStore) HealthChecks {
			return HealthChecks{"store": t.(ports.Pinger), "queue": q.(ports.Pinger), "blobs": b.(ports.Pinger)}
		},
	),
)
