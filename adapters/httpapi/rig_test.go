package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/cronexpr"
	"taskrunner/adapters/demo"
	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/logcapture"
	"taskrunner/test/openapitest"
)

// validator is shared: loading the document once keeps the tests fast.
var (
	validatorOnce sync.Once
	validatorV    *openapitest.V
)

func docValidator(t *testing.T) *openapitest.V {
	validatorOnce.Do(func() { validatorV = openapitest.Validator(t, httpapi.OpenAPIDocument()) })
	return validatorV
}

// rigConfig holds the knobs of setup.
type rigConfig struct {
	limits   domain.Limits
	tokens   []string
	health   map[string]ports.Pinger
	cfg      func(*httpapi.Config)
	noMetric bool
	without  []domain.TaskType // handlers this build lacks
	// realSearch runs search and search_batch with the real handlers over the demo
	// provider (and the rig's artifacts), instead of the double that accepts any params.
	realSearch bool
	// batch gives the task service the batch ports (tasks_batch_rig_test.go), which
	// POST /tasks/batch needs; single submits then go through the group commit too.
	batch bool
}

// rig is an API server on the memory adapters, driven in-process through app.Test.
type rig struct {
	t        *testing.T
	srv      *httpapi.Server
	v        *openapitest.V
	store    *flakyStore
	queue    *memory.Queue
	requests *requestLog // what the server reported to its RequestObserver
	logs     *logcapture.Buffer
	tasks    *application.TaskService
	runs     *memory.RunStore
	clock    *memory.FakeClock
	live     string // host:port once goLive has started the server
	// handlers are the task handlers the server validates with; with realSearch, the
	// search ones can also run a task (rig.run).
	handlers application.Handlers
}

// goLive starts the server on a loopback port; do then sends requests over TCP.
func (r *rig) goLive() {
	r.t.Helper()
	require.NoError(r.t, r.srv.Start(r.t.Context()))
	r.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(r.t, r.srv.Stop(ctx))
	})
	r.live = r.srv.Addr()
}

func setup(t *testing.T, opts ...func(*rigConfig)) *rig {
	t.Helper()
	rc := rigConfig{limits: domain.DefaultLimits()}
	rc.limits.TasksPerMinute = 0
	for _, o := range opts {
		o(&rc)
	}
	clock := memory.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC))
	logs := &logcapture.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	store := &flakyStore{TaskStore: memory.NewTaskStore()}
	queue := memory.NewQueue(clock)
	ids := &domain.IDGenerator{}
	limiter := memory.NewRateLimiter(clock)
	runStore := memory.NewRunStore()
	runs, err := application.NewRunService(runStore)
	require.NoError(t, err)
	artifacts, err := application.NewArtifactService(application.ArtifactDeps{
		Store: memory.NewArtifactStore(), Blobs: memory.NewBlobStore(), Tasks: store, Limiter: limiter,
		Clock: clock, IDs: ids, Limits: rc.limits, Log: log,
	})
	require.NoError(t, err)
	handlers := application.Handlers{
		domain.TaskEcho:  application.NewEchoHandler(),
		domain.TaskSleep: application.NewSleepHandler(),
		// The search and fetch handlers are not the adapter's business: a double that
		// accepts any object lets the shortcuts' params be inspected.
		domain.TaskSearch:      acceptAll{},
		domain.TaskSearchBatch: acceptAll{},
		domain.TaskFetchURL:    acceptAll{},
	}
	if rc.realSearch {
		// demo is the only provider: any other allowed source reports
		// provider_not_configured, as a provider without its key does.
		deps := application.SearchDeps{Providers: application.SearchProviders{domain.SourceDemo: demo.New(demo.Config{Clock: clock})},
			Cache: memory.NewCache(clock), Runs: runStore, Artifacts: artifacts, Clock: clock, IDs: ids, Log: log,
			CacheTTL: time.Hour}
		search, err := application.NewSearchHandler(deps)
		require.NoError(t, err)
		batch, err := application.NewSearchBatchHandler(deps)
		require.NoError(t, err)
		handlers[domain.TaskSearch], handlers[domain.TaskSearchBatch] = search, batch
	}
	for _, typ := range rc.without {
		delete(handlers, typ)
	}
	taskDeps := application.TaskDeps{
		Store: store, Queue: queue, Limiter: limiter, Signals: memory.NewCancelSignals(),
		Clock: clock, IDs: ids, Handlers: handlers, Limits: rc.limits, Log: log,
	}
	if rc.batch {
		taskDeps.Batch, taskDeps.BatchQueue = &batchStore{flakyStore: store}, &batchQueue{Queue: queue}
	}
	tasks, err := application.NewTaskService(taskDeps)
	require.NoError(t, err)
	requests := &requestLog{}
	schedules, err := application.NewScheduleService(application.ScheduleDeps{
		Store: memory.NewScheduleStore(), Cron: cronexpr.Parser{}, Tasks: tasks, Decode: httpapi.DecodeScheduledTask,
		Clock: clock, IDs: ids, Log: log,
	})
	require.NoError(t, err)
	deps := httpapi.Deps{Tasks: tasks, Artifacts: artifacts, Runs: runs, Schedules: schedules, Requests: requests, Log: log, Clock: clock}
	if !rc.noMetric {
		deps.MetricsHandler = stubMetrics
	}
	health := rc.health
	if health == nil {
		health = map[string]ports.Pinger{"store": store, "queue": queue, "blobs": okPinger{}}
	}
	cfg := httpapi.Config{Addr: "127.0.0.1:0", Limits: rc.limits, APITokens: rc.tokens,
		// Settings as a process with the default environment has them.
		Settings: httpapi.Settings{WebhookMaxAttempts: application.DefaultWebhookMaxAttempts,
			FetchHostMinInterval: time.Second, FetchRespectRobots: true, FetchRobotsTTL: 24 * time.Hour}}
	if rc.cfg != nil {
		rc.cfg(&cfg)
	}
	deps.Health = health
	srv, err := httpapi.New(deps, cfg)
	require.NoError(t, err)
	return &rig{t: t, srv: srv, v: docValidator(t), store: store, queue: queue, requests: requests, logs: logs, tasks: tasks,
		runs: runStore, handlers: handlers, clock: clock}
}

// response is one answered request.
type response struct {
	*http.Response
	body []byte
}

// json decodes the body into a map.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

// errorCode returns error.code of an error body.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	require.True(t, ok, "no error object in %s", r.body)
	return e["code"].(string)
}

// errorField returns error.details.field of an error body ("" when absent).
func (r response) errorField(t *testing.T) string {
	t.Helper()
	e := r.json(t)["error"].(map[string]any)
	d, _ := e["details"].(map[string]any)
	f, _ := d["field"].(string)
	return f
}

func (r response) errorMessage(t *testing.T) string {
	t.Helper()
	return r.json(t)["error"].(map[string]any)["message"].(string)
}

// requireInvalidParams checks a 422 task_rejected_invalid_params naming field, in
// error.details.field and in the message; name says which case of a table failed.
func (r response) requireInvalidParams(t *testing.T, field, name string) {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, r.StatusCode, "%s: %s", name, r.body)
	require.Equal(t, "task_rejected_invalid_params", r.errorCode(t), name)
	require.Equal(t, field, r.errorField(t), name)
	require.Contains(t, r.errorMessage(t), field, name)
}

// do sends a request through app.Test and validates the exchange against the document.
// body may be nil, a string or []byte (sent as is), or anything else (sent as JSON).
// headers come in pairs.
func (r *rig) do(method, path string, body any, headers ...string) response {
	r.t.Helper()
	raw := openapitest.Body(r.t, body)
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	openapitest.SetHeaders(req.Header, headers...)
	var resp *http.Response
	var err error
	if r.live != "" {
		// Over a real connection: for what app.Test cannot show (a body Fiber refuses
		// before routing makes app.Test return an error instead of the response).
		live := req.Clone(req.Context())
		live.RequestURI = ""
		live.URL.Scheme, live.URL.Host = "http", r.live
		live.Body = io.NopCloser(bytes.NewReader(raw))
		resp, err = http.DefaultClient.Do(live)
	} else {
		resp, err = r.srv.App().Test(req, 10_000)
	}
	require.NoError(r.t, err)
	respBody, err := io.ReadAll(resp.Body)
	require.NoError(r.t, err)
	require.NoError(r.t, resp.Body.Close())
	require.NotEmpty(r.t, resp.Header.Get(httpapi.HeaderRequestID), "%s %s: no X-Request-ID", method, path)
	r.v.Check(r.t, req, raw, resp, respBody)
	return response{Response: resp, body: respBody}
}

// submitEcho submits an echo task and returns its id.
func (r *rig) submitEcho(msg string) string {
	r.t.Helper()
	resp := r.do("POST", "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": msg}})
	require.Equal(r.t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	return resp.json(r.t)["id"].(string)
}

// acceptAll is a task handler double that accepts any params object.
type acceptAll struct{}

func (acceptAll) Validate(p json.RawMessage, _ domain.Limits) (json.RawMessage, error) { return p, nil }
func (acceptAll) Run(_ context.Context, t domain.Task) (json.RawMessage, error)        { return t.Params, nil }

// flakyStore is the memory task store with switchable faults: down makes every call fail
// as an unreachable database would; hang makes Get wait for its deadline; panicOnList
// makes List panic.
type flakyStore struct {
	*memory.TaskStore
	down        atomic.Bool
	hang        atomic.Bool // Get blocks until its context ends
	panicOnList atomic.Bool
}

var errStoreDown = domain.Unavailable("store", errors.New("dial tcp 10.0.0.1:5432: connection refused"))

func (s *flakyStore) Ping(ctx context.Context) error {
	if s.down.Load() {
		return errStoreDown
	}
	return s.TaskStore.Ping(ctx)
}

func (s *flakyStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	if s.down.Load() {
		return domain.Task{}, false, errStoreDown
	}
	return s.TaskStore.Create(ctx, t)
}

func (s *flakyStore) Get(ctx context.Context, id string) (domain.Task, error) {
	if s.hang.Load() {
		<-ctx.Done()
		return domain.Task{}, ctx.Err()
	}
	if s.down.Load() {
		return domain.Task{}, errStoreDown
	}
	return s.TaskStore.Get(ctx, id)
}

func (s *flakyStore) List(ctx context.Context, f domain.TaskFilter) (domain.TaskPage, error) {
	if s.panicOnList.Load() {
		panic("flakyStore: List panics on purpose")
	}
	if s.down.Load() {
		return domain.TaskPage{}, errStoreDown
	}
	return s.TaskStore.List(ctx, f)
}

func (s *flakyStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	if s.down.Load() {
		return domain.Task{}, errStoreDown
	}
	return s.TaskStore.Update(ctx, id, fn)
}

func (s *flakyStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	if s.down.Load() {
		return nil, errStoreDown
	}
	return s.TaskStore.CountByTypeStatus(ctx)
}

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

type downPinger struct{}

func (downPinger) Ping(context.Context) error {
	return domain.Unavailable("blobs", errors.New("no route to host"))
}

// hungPinger answers only when its context ends, like a service that stopped responding.
type hungPinger struct{}

func (hungPinger) Ping(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}
