package application_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
	"taskrunner/adapters/markdown"
	"taskrunner/adapters/memory"
	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/logcapture"
)

// fetchRig is the fetch handler on memory adapters, the real page fetcher and extractor,
// and an httptest site. The site runs on loopback, so the fetcher allows private networks
// and any port unless a test says otherwise.
type fetchRig struct {
	clock     *memory.FakeClock
	cache     *memory.Cache
	runs      *memory.RunStore
	tasks     *memory.TaskStore
	artifacts *application.ArtifactService
	blobs     *memory.BlobStore
	ids       *domain.IDGenerator
	limits    domain.Limits
	deps      application.FetchDeps
	handler   *application.FetchHandler
	site      *httptest.Server
	hits      atomic.Int64
	logs      *logcapture.Buffer
}

const fetchTTL = time.Hour

func newFetchRig(t *testing.T, site http.Handler) *fetchRig {
	t.Helper()
	return newFetchRigMB(t, site, 1)
}

// newFetchRigMB is a rig whose artifact limit (and so body cap) is mb megabytes.
func newFetchRigMB(t *testing.T, site http.Handler, mb int) *fetchRig {
	t.Helper()
	clock := memory.NewFakeClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	r := &fetchRig{clock: clock, cache: memory.NewCache(clock), runs: memory.NewRunStore(),
		tasks: memory.NewTaskStore(), ids: &domain.IDGenerator{}, limits: domain.DefaultLimits()}
	r.limits.TaskMaxArtifactMB = mb
	r.limits.FetchAllowedPorts = []string{"*"}
	r.site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		site.ServeHTTP(w, req)
	}))
	t.Cleanup(r.site.Close)
	r.logs = &logcapture.Buffer{}
	log := slog.New(slog.NewJSONHandler(r.logs, nil))
	r.blobs = memory.NewBlobStore()
	arts, err := application.NewArtifactService(application.ArtifactDeps{Store: memory.NewArtifactStore(),
		Blobs: r.blobs, Tasks: r.tasks, Limiter: memory.NewRateLimiter(clock), Clock: clock,
		IDs: r.ids, Limits: r.limits, Log: log})
	require.NoError(t, err)
	r.artifacts = arts
	r.deps = application.FetchDeps{
		Fetcher:   web.New(web.Config{AllowPrivateNetworks: true, AllowedPorts: []string{"*"}, UserAgent: "taskrunner-test"}),
		Extractor: extract.New(extract.Config{}), Renderer: markdown.New(), Artifacts: arts, Cache: r.cache, Runs: r.runs,
		Clock: clock, IDs: r.ids, CacheTTL: fetchTTL, Limits: r.limits, Log: log,
	}
	r.rebuild(t)
	return r
}

func (r *fetchRig) rebuild(t *testing.T) {
	t.Helper()
	var err error
	r.handler, err = application.NewFetchHandler(r.deps)
	require.NoError(t, err)
}

type fetchResultOut struct {
	ArtifactIDs []string `json:"artifact_ids"`
	Title       string   `json:"title"`
	FinalURL    string   `json:"final_url"`
	Cached      bool     `json:"cached"`
}

// task validates params and stores a running task.
func (r *fetchRig) task(t *testing.T, params string) domain.Task {
	t.Helper()
	norm, err := r.handler.Validate(json.RawMessage(params), r.limits)
	require.NoError(t, err)
	now := r.clock.Now()
	tk := domain.Task{ID: r.ids.New(now), Type: domain.TaskFetchURL, Status: domain.StatusRunning, Params: norm,
		TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
	tk, _, err = r.tasks.Create(context.Background(), tk)
	require.NoError(t, err)
	return tk
}

// run validates params, stores a running task and runs it once.
func (r *fetchRig) run(t *testing.T, params string) (fetchResultOut, domain.Task, error) {
	t.Helper()
	tk := r.task(t, params)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := r.handler.Run(ctx, tk)
	var out fetchResultOut
	if err == nil {
		require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	}
	return out, tk, err
}

func (r *fetchRig) read(t *testing.T, id string) (domain.Artifact, []byte) {
	t.Helper()
	a, b, err := r.artifacts.ReadAll(context.Background(), id)
	require.NoError(t, err)
	return a, b
}

func (r *fetchRig) taskArtifacts(t *testing.T, taskID string) []domain.Artifact {
	t.Helper()
	as, err := r.artifacts.ListByTask(context.Background(), taskID)
	require.NoError(t, err)
	return as
}

// page serves a testdata page of the extractor with a content type.
func page(t *testing.T, name, contentType string) (http.HandlerFunc, []byte) {
	t.Helper()
	b, err := os.ReadFile("../adapters/extract/testdata/" + name + ".html")
	require.NoError(t, err)
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(b)
	}, b
}

func requireFetchCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, code, de.Code, "%v", err)
	return de
}

// newEmptyCache is a fresh cache on the rig's clock: what a flushed Redis looks like.
func newEmptyCache(r *fetchRig) *memory.Cache { return memory.NewCache(r.clock) }
