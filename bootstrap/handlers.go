package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// handlerParams are what the task handlers need.
type handlerParams struct {
	fx.In
	Config    Config
	Artifacts *application.ArtifactService
	Cache     ports.Cache
	Runs      ports.RunStore
	Providers application.SearchProviders
	Fetcher   ports.PageFetcher
	Extractor ports.Extractor
	Renderer  ports.PageRenderer
	Pacer     ports.HostPacer
	Clock     ports.Clock
	IDs       *domain.IDGenerator
	Log       *slog.Logger
	Work      ports.WorkObserver
	// Tasks, Batch and BatchQueue let a research create and push its children.
	Tasks      ports.TaskStore
	Batch      ports.TaskBatchStore
	BatchQueue ports.BatchQueue
}

// newHandlers registers every task type: echo, sleep, search and search_batch (over the
// providers the graph holds), fetch_url, research.
func newHandlers(p handlerParams) (application.Handlers, error) {
	c := p.Config
	search := application.SearchDeps{
		Providers: p.Providers, Cache: p.Cache, Runs: p.Runs, Artifacts: p.Artifacts, Clock: p.Clock,
		IDs: p.IDs, Log: p.Log, CacheTTL: c.SearchCacheTTL, ProviderTimeout: c.ProviderTimeout, Observer: p.Work,
	}
	searchHandler, err := application.NewSearchHandler(search)
	if err != nil {
		return nil, err
	}
	batchHandler, err := application.NewSearchBatchHandler(search)
	if err != nil {
		return nil, err
	}
	fetchHandler, err := application.NewFetchHandler(application.FetchDeps{
		Fetcher: p.Fetcher, Extractor: p.Extractor, Renderer: p.Renderer, Artifacts: p.Artifacts, Cache: p.Cache,
		Runs: p.Runs, Clock: p.Clock, IDs: p.IDs, CacheTTL: c.FetchCacheTTL, Limits: c.Limits,
		MaxExtractions: c.ExtractConcurrency, Log: p.Log, Observer: p.Work,
		Politeness: application.Politeness{Pacer: p.Pacer, HostInterval: c.Politeness.HostInterval,
			RespectRobots: c.Politeness.RespectRobots, RobotsTTL: c.Politeness.RobotsTTL, UserAgent: c.FetchUserAgent},
	})
	if err != nil {
		return nil, err
	}
	researchHandler, err := newResearchHandler(p, search, fetchHandler)
	if err != nil {
		return nil, err
	}
	return application.Handlers{
		domain.TaskResearch:    researchHandler,
		domain.TaskEcho:        application.NewEchoHandler(),
		domain.TaskSleep:       application.NewSleepHandler(),
		domain.TaskSearch:      searchHandler,
		domain.TaskSearchBatch: batchHandler,
		domain.TaskFetchURL:    fetchHandler,
	}, nil
}
