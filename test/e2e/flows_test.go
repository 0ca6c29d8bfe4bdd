package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

// flows are run against every kind of stack.
var flows = map[string]func(t *testing.T, start starter){
	"operations":                   flowOperations,
	"echo":                         flowEcho,
	"list":                         flowList,
	"cancel":                       flowCancel,
	"timeout_kill":                 flowTimeoutKill,
	"rate_limit":                   flowRateLimit,
	"idempotency":                  flowIdempotency,
	"artifacts":                    flowArtifacts,
	"artifact_limit":               flowArtifactLimit,
	"auth":                         flowAuth,
	"bad_input":                    flowBadInput,
	"search":                       flowSearch,
	"search_batch":                 flowSearchBatch,
	"fetch":                        flowFetch,
	"fetch_retry":                  flowFetchRetry,
	"fetch_retry_after_beyond_cap": flowFetchRetryAfterBeyondCap,
	"fetch_blocked":                flowFetchBlocked,
	"unknown_routes":               flowUnknownRoutes,
	"request_id_echo":              flowRequestID,
	"nul":                          flowNUL,
	"fetch_nul":                    flowFetchNUL,
	"schedule_every_second":        flowScheduleEverySecond,
	"research":                     flowResearch,
	"research_all_fail":            flowResearchAllFail,
	"research_cancel":              flowResearchCancel,
}

func runFlows(t *testing.T, start starter) {
	for name, flow := range flows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flow(t, start)
		})
	}
}

func TestMemory(t *testing.T) {
	t.Parallel()
	runFlows(t, startMemory)
}

func TestServices(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("services e2e needs PostgreSQL and Redis; run without -short")
	}
	runFlows(t, startServices)
}

func flowOperations(t *testing.T, start starter) {
	s := start(t, nil)
	code, b, _ := s.Call(t, http.MethodGet, "/health", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	h := decode[struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}](t, b)
	require.Equal(t, "ok", h.Status)
	require.Equal(t, map[string]string{"store": "ok", "queue": "ok", "blobs": "ok"}, h.Checks)

	code, b, _ = s.Call(t, http.MethodGet, "/limits", nil)
	require.Equal(t, http.StatusOK, code)
	lim := decode[map[string]any](t, b)
	for _, k := range []string{"task_max_runtime_seconds", "task_max_artifact_mb", "tasks_per_minute", "search_source_allowlist", "fetch_domain_allowlist", "max_batch_size"} {
		require.Contains(t, lim, k)
	}

	code, b, _ = s.Call(t, http.MethodGet, "/openapi.json", nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, string(b), `"openapi"`)

	s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}})
	code, b, _ = s.Call(t, http.MethodGet, "/metrics", nil)
	require.Equal(t, http.StatusOK, code)
	for _, m := range []string{"taskrunner_tasks", "taskrunner_queue_depth", "taskrunner_http_requests_total"} {
		require.Contains(t, string(b), m)
	}
	// bootstrap hands the metrics adapter to the API as its request observer.
	require.Contains(t, string(b), `taskrunner_http_requests_total{method="POST",route="/tasks",status="202"}`)
}

func flowEcho(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "hello", "n": 3}, "timeout_seconds": 300, "max_retries": 0})
	require.Equal(t, "queued", tk.Status)
	require.Equal(t, 300, tk.TimeoutSeconds)
	done := s.wait(t, tk.ID, "succeeded")
	require.JSONEq(t, `{"msg":"hello","n":3}`, string(done.Result))
	require.Equal(t, 1, done.Attempts)
	require.NotNil(t, done.FinishedAt)

	// Defaults: timeout = TASK_MAX_RUNTIME_SECONDS, max_retries 0.
	tk = s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}})
	require.Equal(t, 600, tk.TimeoutSeconds)
	require.Equal(t, 0, tk.MaxRetries)
}

func flowList(t *testing.T, start starter) {
	s := start(t, nil)
	var ids []string
	for i := 0; i < 7; i++ {
		ids = append(ids, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"i": i}}).ID)
	}
	for _, id := range ids {
		s.wait(t, id, "succeeded")
	}
	var seen []string
	cursor := ""
	for page := 0; page < 10; page++ {
		path := "/tasks?type=echo&status=succeeded&limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		code, b, _ := s.Call(t, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		p := decode[struct {
			Tasks      []task  `json:"tasks"`
			NextCursor *string `json:"next_cursor"`
		}](t, b)
		require.LessOrEqual(t, len(p.Tasks), 3)
		for _, tk := range p.Tasks {
			seen = append(seen, tk.ID)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	// Newest first: the reverse of submission order.
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
	require.Equal(t, ids, seen)

	code, b, _ := s.Call(t, http.MethodGet, "/tasks?limit=0", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "limit")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks?status=bogus", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "status")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks?cursor=not-a-cursor", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "cursor")
}

func flowCancel(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.WorkerConcurrency = 1 })
	running := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}})
	s.wait(t, running.ID, "running")
	// The only worker slot is busy, so this one stays queued and is cancelled at once.
	queued := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}})
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+queued.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	got := decode[task](t, b)
	require.Equal(t, "cancelled", got.Status)
	require.Equal(t, "task_cancelled", got.Error.Code)

	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Contains(t, []string{"running", "cancelled"}, decode[task](t, b).Status)
	done := s.wait(t, running.ID, "cancelled")
	require.Equal(t, "task_cancelled", done.Error.Code)

	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/cancel", nil)
	expectError(t, code, b, http.StatusConflict, "task_already_finished", "")

	// The worker is free again: the slot was not leaked by the cancellation.
	echo := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}})
	s.wait(t, echo.ID, "succeeded")
}

func flowTimeoutKill(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 20}, "timeout_seconds": 1})
	done := s.wait(t, tk.ID, "failed")
	require.Equal(t, "task_runtime_exceeded", done.Error.Code)
	require.Eventually(t, func() bool {
		for _, e := range s.logs.Events("task_killed") {
			if e["task_id"] == tk.ID {
				return true
			}
		}
		return false
	}, 5e9, 2e7, "no task_killed event for %s", tk.ID)
}

func flowRateLimit(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.Limits.TasksPerMinute = 2 })
	body := map[string]any{"type": "echo", "params": map[string]any{}}
	s.submit(t, "/tasks", body)
	s.submit(t, "/tasks", body)
	code, b, h := s.Call(t, http.MethodPost, "/tasks", body)
	expectError(t, code, b, http.StatusTooManyRequests, "rate_limit_exceeded", "")
	require.NotEmpty(t, h.Get("Retry-After"))
	// Shortcuts count against the same limit.
	code, b, _ = s.Call(t, http.MethodPost, "/search", map[string]any{"query": "x", "sources": []string{s.source}})
	require.Equal(t, http.StatusTooManyRequests, code, string(b))
}

func flowIdempotency(t *testing.T, start starter) {
	s := start(t, nil)
	body := map[string]any{"type": "echo", "params": map[string]any{"k": 1}, "idempotency_key": "same-key-" + t.Name()}
	first := s.submit(t, "/tasks", body)
	code, b, _ := s.Call(t, http.MethodPost, "/tasks", body)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, first.ID, decode[task](t, b).ID)
}
