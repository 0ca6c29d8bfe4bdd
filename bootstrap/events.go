package bootstrap

import (
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/fx"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/metrics"
	"taskrunner/adapters/redis"
	"taskrunner/application"
	"taskrunner/ports"
)

// eventsOptions wire the task-change feed: the ports.TaskEvents of the mode (in-process in
// memory mode, Redis pub/sub in services mode), the TaskFeed that publishes, and the
// decorators of the task store's write ports that feed it. The decorations are at the
// root of the graph (fx.Options, not a module), so every consumer of ports.TaskStore,
// ports.TaskBatchStore and ports.DuePromoter writes through them: one place publishes.
func eventsOptions(c Config) fx.Option {
	adapter := fx.Provide(fx.Annotate(func() *memory.TaskEvents { return memory.NewTaskEvents(0) },
		fx.As(new(ports.TaskEvents))))
	if c.Mode == ModeServices {
		adapter = fx.Provide(fx.Annotate(newRedisTaskEvents, fx.ParamTags(``, redisPrefixTag), fx.As(new(ports.TaskEvents))))
	}
	return fx.Options(
		adapter,
		fx.Provide(newTaskFeed, metrics.NewTaskEventCounter),
		fx.Invoke(func(c *metrics.TaskEventCounter, m *metrics.Metrics) { c.Register(m) }),
		fx.Decorate(
			func(s ports.TaskStore, f *application.TaskFeed) ports.TaskStore {
				return application.NewFeedingTaskStore(s, f)
			},
			func(s ports.TaskBatchStore, f *application.TaskFeed) ports.TaskBatchStore {
				return application.NewFeedingTaskBatchStore(s, f)
			},
			func(p ports.DuePromoter, f *application.TaskFeed) ports.DuePromoter {
				return application.NewFeedingPromoter(p, f)
			},
		),
	)
}

func newRedisTaskEvents(client *goredis.Client, prefix string, log *slog.Logger) (*redis.TaskEvents, error) {
	return redis.NewTaskEvents(client, prefix, log)
}

// newTaskFeed starts the publisher with the first store that needs it, so it stops after
// everything that writes tasks (fx stops in reverse order) and flushes their last changes.
func newTaskFeed(lc fx.Lifecycle, events ports.TaskEvents, dropped *metrics.TaskEventCounter, log *slog.Logger) (*application.TaskFeed, error) {
	f, err := application.NewTaskFeed(application.TaskFeedDeps{
		Events: events, Observer: dropped, Log: log,
	}, application.TaskFeedConfig{})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{OnStart: f.Start, OnStop: f.Stop})
	return f, nil
}

// newEventHub is the API's view of the feed (GET /events, GET /tasks/{id}?wait).
func newEventHub(lc fx.Lifecycle, events ports.TaskEvents, log *slog.Logger) (*application.EventHub, error) {
	h, err := application.NewEventHub(application.EventHubDeps{Events: events, Log: log}, application.EventHubConfig{})
	if err != nil {
		return nil, err
	}
	lc.Append(fx.Hook{OnStart: h.Start, OnStop: h.Stop})
	return h, nil
}
