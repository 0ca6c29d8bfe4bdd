package faults

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/demo"
	"taskrunner/adapters/demosite"
	"taskrunner/adapters/extract"
	"taskrunner/adapters/markdown"
	"taskrunner/adapters/memory"
	"taskrunner/adapters/postgres"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// researchFetchTop is how many children each research of these tests has.
const researchFetchTop = 4

// researchWorld is what every process of a research test shares besides PostgreSQL and
// Redis: the blob store (the artifacts' bytes; not under test here, so in memory) and a
// gate on page fetches.
type researchWorld struct {
	blobs *memory.BlobStore
}

// gatedFetcher serves the demo site; once open is false, every fetch blocks until its
// context ends (a fetch that never answers), counting itself in blocked.
type gatedFetcher struct {
	next    ports.PageFetcher
	allow   func() bool
	blocked atomic.Int64
}

// newGate is a gate in front of the demo site; allow nil lets every fetch through.
func newGate(allow func() bool) *gatedFetcher {
	return &gatedFetcher{next: demosite.New(fetcherOfNothing{}), allow: allow}
}

func (g *gatedFetcher) Fetch(ctx context.Context, r domain.FetchRequest) (domain.Page, error) {
	if g.allow != nil && !g.allow() {
		g.blocked.Add(1)
		<-ctx.Done()
		return domain.Page{}, domain.NewError(domain.CodeFetchFailed, "interrupted").WithCause(ctx.Err()).Transient()
	}
	return g.next.Fetch(ctx, r)
}

func memoryBlobs() *memory.BlobStore { return memory.NewBlobStore() }

// fanIn is p's fan-in, over p's ports (so it dies with p).
func (s *services) fanIn(t *testing.T, p *process) *application.FanIn {
	t.Helper()
	f, err := application.NewFanIn(application.FanInDeps{Store: p.store, Queue: p.queue, Signals: p.signals,
		Clock: sysclock.Clock{}, Log: s.log.With("process", p.name)})
	require.NoError(t, err)
	return f
}

// researchHandlers are the research and fetch_url handlers of process p, as bootstrap
// builds them, over the demo search source and the demo site behind fetcher's gate.
func (s *services) researchHandlers(t *testing.T, p *process, w *researchWorld, fetcher *gatedFetcher) application.Handlers {
	t.Helper()
	log := s.log.With("process", p.name)
	ids := &domain.IDGenerator{}
	arts, err := application.NewArtifactService(application.ArtifactDeps{Store: postgres.NewArtifactStore(p.db), Blobs: w.blobs,
		Tasks: p.store, Limiter: p.limiter, Clock: sysclock.Clock{}, IDs: ids, Limits: limits(), Log: log})
	require.NoError(t, err)
	providers, err := application.NewSearchProviders(demo.New(demo.Config{}))
	require.NoError(t, err)
	runs := postgres.NewRunStore(p.db)
	cache := memory.NewCache(sysclock.Clock{})
	fetch, err := application.NewFetchHandler(application.FetchDeps{Fetcher: fetcher, Extractor: extract.New(extract.Config{Log: log}),
		Renderer: markdown.New(), Artifacts: arts, Cache: cache, Runs: runs, Clock: sysclock.Clock{}, IDs: ids, Limits: limits(), Log: log})
	require.NoError(t, err)
	research, err := application.NewResearchHandler(application.ResearchDeps{
		Search: application.SearchDeps{Providers: providers, Cache: cache, Runs: runs, Artifacts: arts, Clock: sysclock.Clock{},
			IDs: ids, Log: log, CacheTTL: time.Hour},
		Tasks: p.store, Batch: p.store, Queue: p.queue, Fetch: fetch, Limits: researchLimits(), Log: log})
	require.NoError(t, err)
	return application.Handlers{domain.TaskResearch: research, domain.TaskFetchURL: fetch}
}

// fetcherOfNothing stands behind the demo site: these tests fetch demo pages only.
type fetcherOfNothing struct{}

func (fetcherOfNothing) Fetch(context.Context, domain.FetchRequest) (domain.Page, error) {
	return domain.Page{}, domain.NewError(domain.CodeFetchBlocked, "only the demo site in this test")
}

func researchLimits() domain.Limits {
	l := limits()
	l.SearchSourceAllowlist = []string{domain.SourceDemo}
	return l
}

// startResearchWorker starts a worker of p running handlers, with fan-in.
func (s *services) startResearchWorker(t *testing.T, p *process, handlers application.Handlers, cfg application.WorkerConfig) {
	t.Helper()
	w, err := application.NewWorker(application.WorkerDeps{
		Store: p.store, Queue: p.queue, Signals: p.signals, Clock: sysclock.Clock{}, Handlers: handlers, Limits: researchLimits(),
		Log: s.log.With("process", p.name), Batch: p.store, BatchQueue: p.queue, FanIn: s.fanIn(t, p),
	}, cfg)
	require.NoError(t, err)
	require.NoError(t, w.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = w.Stop(ctx)
	})
}

// startFanInReconciler starts a reconciler of p that also wakes parked parents.
func (s *services) startFanInReconciler(t *testing.T, p *process) {
	t.Helper()
	r, err := application.NewReconciler(application.ReconcilerDeps{
		Store: p.store, Queue: p.queue, Clock: sysclock.Clock{}, Log: s.log.With("process", p.name), FanIn: s.fanIn(t, p),
	}, application.ReconcilerConfig{Interval: 100 * time.Millisecond, QueuedGrace: 100 * time.Millisecond, Lease: testLease})
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
}

// submitResearch submits one research over the demo source through p's task service.
func (s *services) submitResearch(t *testing.T, p *process, handlers application.Handlers) string {
	t.Helper()
	svc, err := application.NewTaskService(application.TaskDeps{
		Store: p.store, Queue: p.queue, Limiter: p.limiter, Signals: p.signals, Clock: sysclock.Clock{},
		IDs: &domain.IDGenerator{}, Handlers: handlers, Limits: researchLimits(), Log: s.log.With("process", p.name),
		Batch: p.store, BatchQueue: p.queue, GroupCommit: true, FanIn: s.fanIn(t, p),
	})
	require.NoError(t, err)
	params, err := json.Marshal(map[string]any{"query": "crash safe fan in", "sources": []string{"demo"}, "fetch_top": researchFetchTop})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	task, _, err := svc.Submit(ctx, application.SubmitInput{Type: string(domain.TaskResearch), Params: params, ClientID: "faults"})
	require.NoError(t, err)
	return task.ID
}

// requireResearchDone waits for the research to succeed and checks what must survive any
// crash: exactly researchFetchTop children (none created twice), each succeeded, and a
// result that counts every one of them as read.
func requireResearchDone(t *testing.T, store ports.TaskStore, id string) domain.Task {
	t.Helper()
	var parent domain.Task
	eventually(t, "the research to finish", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if parent, err = store.Get(ctx, id); err != nil {
			return false, err.Error()
		}
		return parent.Status.Terminal(), string(parent.Status)
	})
	require.Equal(t, domain.StatusSucceeded, parent.Status, "error: %+v", parent.Error)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	page, err := store.List(ctx, domain.TaskFilter{ParentID: id, Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Tasks, researchFetchTop, "one child per URL, however often the parent ran")
	urls := map[string]bool{}
	for _, c := range page.Tasks {
		require.Equal(t, domain.StatusSucceeded, c.Status, "child %s: %+v", c.ID, c.Error)
		var p struct{ URL string }
		require.NoError(t, json.Unmarshal(c.Params, &p))
		urls[p.URL] = true
	}
	require.Len(t, urls, researchFetchTop)
	var res struct{ Fetched, Failed int }
	require.NoError(t, json.Unmarshal(parent.Result, &res))
	require.Equal(t, researchFetchTop, res.Fetched)
	require.Zero(t, res.Failed)
	return parent
}
