package application_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
)

// searchStep is one scripted answer of a searchFake.
type searchStep struct {
	urls  []string // results, titled after the URL
	err   error
	block bool // wait until the call's context ends
}

// searchFake is a scripted ports.SearchProvider that counts its calls. Answers are per
// query (script[query]) or, failing that, the default script; within a script, calls take
// steps in turn and the last step repeats.
type searchFake struct {
	name string

	mu      sync.Mutex
	calls   map[string]int
	total   int
	script  map[string][]searchStep
	deflt   []searchStep
	lastMax int

	// blocked is closed when a call first parks on a blocking step, so a test can act on a
	// call that is surely in flight (cancel it, say) instead of racing its start.
	blocked     chan struct{}
	blockedOnce sync.Once
}

func newSearchFake(name string, steps ...searchStep) *searchFake {
	return &searchFake{name: name, calls: map[string]int{}, script: map[string][]searchStep{}, deflt: steps,
		blocked: make(chan struct{})}
}

func (f *searchFake) on(query string, steps ...searchStep) *searchFake {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[query] = steps
	return f
}

func (f *searchFake) Name() string { return f.name }

func (f *searchFake) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchResult, error) {
	f.mu.Lock()
	f.calls[q.Query]++
	f.total++
	f.lastMax = q.MaxResults
	steps, ok := f.script[q.Query]
	if !ok {
		steps = f.deflt
	}
	n := f.calls[q.Query]
	f.mu.Unlock()
	if len(steps) == 0 {
		steps = []searchStep{{urls: []string{"https://" + f.name + ".example/" + strings.ReplaceAll(q.Query, " ", "-")}}}
	}
	st := steps[min(n, len(steps))-1]
	if st.block {
		f.blockedOnce.Do(func() { close(f.blocked) })
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if st.err != nil {
		return nil, st.err
	}
	out := make([]domain.SearchResult, 0, len(st.urls))
	for _, u := range st.urls {
		out = append(out, domain.SearchResult{Title: "T " + u, URL: u, Snippet: "about " + q.Query, Source: f.name})
	}
	return out, nil
}

// waitBlocked waits until a call is parked on a blocking step.
func (f *searchFake) waitBlocked(t *testing.T) {
	t.Helper()
	select {
	case <-f.blocked:
	case <-time.After(5 * time.Second):
		t.Fatalf("no call of %s reached its blocking step", f.name)
	}
}

func (f *searchFake) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total
}

// searchRig is the search handlers on memory adapters with a fake clock.
type searchRig struct {
	clock     *memory.FakeClock
	cache     *memory.Cache
	runs      *memory.RunStore
	tasks     *memory.TaskStore
	artifacts *application.ArtifactService
	ids       *domain.IDGenerator
	limits    domain.Limits
	deps      application.SearchDeps
	search    *application.SearchHandler
	batch     *application.SearchBatchHandler
}

const searchTTL = time.Hour

func newSearchRig(t *testing.T, providers ...*searchFake) *searchRig {
	t.Helper()
	clock := memory.NewFakeClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	r := &searchRig{clock: clock, cache: memory.NewCache(clock), runs: memory.NewRunStore(),
		tasks: memory.NewTaskStore(), ids: &domain.IDGenerator{}, limits: domain.DefaultLimits()}
	r.limits.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	arts, err := application.NewArtifactService(application.ArtifactDeps{Store: memory.NewArtifactStore(),
		Blobs: memory.NewBlobStore(), Tasks: r.tasks, Limiter: memory.NewRateLimiter(clock), Clock: clock, IDs: r.ids, Limits: r.limits, Log: log})
	require.NoError(t, err)
	r.artifacts = arts
	reg := application.SearchProviders{}
	for _, p := range providers {
		reg[p.Name()] = p
	}
	r.deps = application.SearchDeps{Providers: reg, Cache: r.cache, Runs: r.runs, Artifacts: arts, Clock: clock,
		IDs: r.ids, Log: log, CacheTTL: searchTTL, ProviderTimeout: 2 * time.Second, RetryBase: time.Millisecond}
	r.rebuild(t)
	return r
}

// rebuild makes the handlers again from r.deps (after a test changed them).
func (r *searchRig) rebuild(t *testing.T) {
	t.Helper()
	var err error
	r.search, err = application.NewSearchHandler(r.deps)
	require.NoError(t, err)
	r.batch, err = application.NewSearchBatchHandler(r.deps)
	require.NoError(t, err)
}

// task validates params with h and stores a running task holding them.
func (r *searchRig) task(t *testing.T, h application.Handler, typ domain.TaskType, params string) domain.Task {
	t.Helper()
	norm, err := h.Validate(json.RawMessage(params), r.limits)
	require.NoError(t, err)
	now := r.clock.Now()
	tk := domain.Task{ID: r.ids.New(now), Type: typ, Status: domain.StatusRunning, Params: norm,
		TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
	stored, _, err := r.tasks.Create(context.Background(), tk)
	require.NoError(t, err)
	return stored
}

type searchResultOut struct {
	ArtifactIDs []string                              `json:"artifact_ids"`
	ResultCount int                                   `json:"result_count"`
	Cached      bool                                  `json:"cached"`
	Providers   map[string]application.ProviderReport `json:"providers"`
}

// runSearch submits and runs one search task.
func (r *searchRig) runSearch(t *testing.T, params string) (searchResultOut, domain.Task, error) {
	t.Helper()
	tk := r.task(t, r.search, domain.TaskSearch, params)
	raw, err := r.search.Run(context.Background(), tk)
	var out searchResultOut
	if err == nil {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	}
	return out, tk, err
}

type batchResultOut struct {
	ArtifactIDs     []string `json:"artifact_ids"`
	BatchArtifactID string   `json:"batch_artifact_id"`
	QueryCount      int      `json:"query_count"`
	FailedCount     int      `json:"failed_count"`
	Cached          bool     `json:"cached"`
}

func (r *searchRig) runBatch(t *testing.T, params string) (batchResultOut, domain.Task, error) {
	t.Helper()
	tk := r.task(t, r.batch, domain.TaskSearchBatch, params)
	raw, err := r.batch.Run(context.Background(), tk)
	var out batchResultOut
	if err == nil {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	}
	return out, tk, err
}

// searchDocOut mirrors docs/artifacts-search.md.
type searchDocOut struct {
	Schema      string                                `json:"schema"`
	Query       string                                `json:"query"`
	Sources     []string                              `json:"sources"`
	RecencyDays int                                   `json:"recency_days"`
	MaxResults  int                                   `json:"max_results"`
	ResultCount int                                   `json:"result_count"`
	Results     []domain.MergedResult                 `json:"results"`
	Providers   map[string]application.ProviderReport `json:"providers"`
	CreatedAt   time.Time                             `json:"created_at"`
}

func (r *searchRig) artifact(t *testing.T, id string, v any) domain.Artifact {
	t.Helper()
	a, data, err := r.artifacts.ReadAll(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, "application/json", a.ContentType)
	require.NoError(t, json.Unmarshal(data, v), string(data))
	return a
}

func (r *searchRig) run(t *testing.T, p domain.SearchParams) domain.Run {
	t.Helper()
	run, err := r.runs.LatestRunForKey(context.Background(), domain.RunKey(domain.ScopeSearch, domain.SearchRequestKey(p)))
	require.NoError(t, err)
	return run
}

func metric(run domain.Run, name string) (float64, bool) {
	for _, m := range run.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

func requireMetric(t *testing.T, run domain.Run, name string, want float64) {
	t.Helper()
	v, ok := metric(run, name)
	require.True(t, ok, "metric %s missing in %+v", name, run.Metrics)
	require.Equal(t, want, v, name)
}

// requireRunHonoursCancel runs a task on the handler handlerOf picks, with a provider call
// that only cancellation can end within the test's bound (the provider timeout is a
// minute), and checks that cancelling ends Run with context.Canceled.
func requireRunHonoursCancel(t *testing.T, handlerOf func(*searchRig) application.Handler, typ domain.TaskType, params string) {
	t.Helper()
	brave := newSearchFake("brave", searchStep{block: true})
	r := newSearchRig(t, brave)
	r.deps.ProviderTimeout = time.Minute
	r.rebuild(t)
	h := handlerOf(r)
	tk := r.task(t, h, typ, params)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := h.Run(ctx, tk)
		done <- err
	}()
	// Cancel only once the provider call is in flight: cancelling first would pass even if
	// Run never passed its context on (it would stop at its first ctx check instead).
	brave.waitBlocked(t)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not end after cancel", typ)
	}
}
