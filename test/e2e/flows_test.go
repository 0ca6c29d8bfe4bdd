package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
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

func flowArtifacts(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}})
	data := []byte("Hello world")
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{
		"task_id": tk.ID, "type": "log", "content_type": "text/plain",
		"data_base64": base64.StdEncoding.EncodeToString(data), "metadata": map[string]any{"source": "e2e"},
	})
	require.Equal(t, http.StatusCreated, code, string(b))
	meta := decode[map[string]any](t, b)
	id := meta["id"].(string)
	require.Equal(t, float64(11), meta["size_bytes"])
	require.Equal(t, "64ec88ca00b268e5ba1a35678a1b5316d212f4f366b2477232534a8aeca37f3c", meta["sha256"])

	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+id+"/meta", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, tk.ID, decode[map[string]any](t, b)["task_id"])

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+id, nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, data, b)
	require.Equal(t, "text/plain", h.Get("Content-Type"))
	require.Equal(t, "11", h.Get("Content-Length"))
	etag := h.Get("ETag")
	require.Contains(t, etag, meta["sha256"])

	code, b, h = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=0-4")
	require.Equal(t, http.StatusPartialContent, code)
	require.Equal(t, "Hello", string(b))
	require.Equal(t, "bytes 0-4/11", h.Get("Content-Range"))
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=-5")
	require.Equal(t, http.StatusPartialContent, code)
	require.Equal(t, "world", string(b))
	code, _, h = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=50-60")
	require.Equal(t, http.StatusRequestedRangeNotSatisfiable, code)
	require.Equal(t, "bytes */11", h.Get("Content-Range"))
	code, _, _ = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, code)

	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"/artifacts", nil)
	require.Equal(t, http.StatusOK, code)
	arts := decode[struct {
		Artifacts []map[string]any `json:"artifacts"`
	}](t, b)
	require.Len(t, arts.Artifacts, 1)
	require.Equal(t, id, arts.Artifacts[0]["id"])

	// Identical bytes without a task: a second record, the same content address.
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString(data)})
	require.Equal(t, http.StatusCreated, code, string(b))
	second := decode[map[string]any](t, b)
	require.NotEqual(t, id, second["id"])
	require.Nil(t, second["task_id"])
	require.Equal(t, meta["sha256"], second["sha256"])

	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/00000000-0000-7000-8000-000000000000", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/not-an-id/meta", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/00000000-0000-7000-8000-000000000000/artifacts", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
}

func flowArtifactLimit(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.Limits.TaskMaxArtifactMB = 1 })
	big := make([]byte, 1<<20+1)
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "application/octet-stream", "data_base64": base64.StdEncoding.EncodeToString(big)})
	expectError(t, code, b, http.StatusRequestEntityTooLarge, "artifact_size_exceeded", "")
	require.NotEmpty(t, s.logs.Events("artifact_rejected"))

	exact := make([]byte, 1<<20)
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "application/octet-stream", "data_base64": base64.StdEncoding.EncodeToString(exact)})
	require.Equal(t, http.StatusCreated, code, string(b))

	// A body past the request limit (the base64 of the cap plus room for the JSON) is
	// refused before it is read (its Content-Length says so), and logged like any artifact
	// refused for its size.
	require.Len(t, s.logs.Events("artifact_rejected"), 1)
	huge := `{"type":"log","content_type":"text/plain","data_base64":"` + strings.Repeat("A", 1<<20*3/2) + `"}`
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", huge)
	expectError(t, code, b, http.StatusRequestEntityTooLarge, "artifact_size_exceeded", "")
	rejected := s.logs.Events("artifact_rejected")
	require.Len(t, rejected, 2)
	require.Equal(t, "request_body", rejected[1]["via"])
}

func flowAuth(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.APITokens = []string{"secret-one", "secret-two"} })
	code, _, _ := s.Call(t, http.MethodGet, "/tasks", nil)
	require.Equal(t, http.StatusOK, code)
	code, b, h := s.Call(t, http.MethodGet, "/tasks", nil, "Authorization", "")
	expectError(t, code, b, http.StatusUnauthorized, "unauthorized", "")
	require.Contains(t, h.Get("WWW-Authenticate"), "Bearer")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "echo"}, "Authorization", "Bearer wrong")
	expectError(t, code, b, http.StatusUnauthorized, "unauthorized", "")
	code, _, _ = s.Call(t, http.MethodGet, "/tasks", nil, "Authorization", "Bearer secret-two")
	require.Equal(t, http.StatusOK, code)
	code, _, _ = s.Call(t, http.MethodGet, "/health", nil, "Authorization", "")
	require.Equal(t, http.StatusOK, code)
	code, _, _ = s.Call(t, http.MethodGet, "/openapi.json", nil, "Authorization", "")
	require.Equal(t, http.StatusOK, code)

	// Idempotency keys belong to the token that used them: another token's identical key
	// makes its own task instead of reading the first one's.
	keyed := map[string]any{"type": "echo", "params": map[string]any{"who": "one"}, "idempotency_key": "shared-key"}
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed)
	require.Equal(t, http.StatusAccepted, code, string(b))
	first := decode[task](t, b)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed, "Authorization", "Bearer secret-two")
	require.Equal(t, http.StatusAccepted, code, string(b))
	require.NotEqual(t, first.ID, decode[task](t, b).ID)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, first.ID, decode[task](t, b).ID)
	require.NotContains(t, s.logs.String(), "secret-one")
}

func flowBadInput(t *testing.T, start starter) {
	s := start(t, nil)
	cases := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"malformed", `{"type":`, 400, "invalid_request", ""},
		{"not an object", `[1,2]`, 400, "invalid_request", ""},
		{"type wrong type", `{"type":5}`, 400, "invalid_request", "type"},
		{"unknown type", `{"type":"launch_rockets"}`, 400, "invalid_request", "type"},
		{"missing type", `{"params":{}}`, 400, "invalid_request", "type"},
		{"unknown field", `{"type":"echo","colour":"red"}`, 400, "invalid_request", "colour"},
		{"params not object", `{"type":"echo","params":"hi"}`, 400, "invalid_request", "params"},
		{"timeout string", `{"type":"echo","timeout_seconds":"10"}`, 400, "invalid_request", "timeout_seconds"},
		{"negative timeout", `{"type":"echo","timeout_seconds":-1}`, 422, "task_rejected_invalid_params", "timeout_seconds"},
		{"huge timeout", `{"type":"echo","timeout_seconds":99999999}`, 422, "task_rejected_invalid_params", "timeout_seconds"},
		{"retries too many", `{"type":"echo","max_retries":11}`, 422, "task_rejected_invalid_params", "max_retries"},
		{"retries negative", `{"type":"echo","max_retries":-1}`, 422, "task_rejected_invalid_params", "max_retries"},
		{"sleep negative", `{"type":"sleep","params":{"seconds":-2}}`, 422, "task_rejected_invalid_params", "params.seconds"},
		{"sleep missing", `{"type":"sleep","params":{}}`, 422, "task_rejected_invalid_params", "params.seconds"},
		{"trailing garbage", `{"type":"echo"} {}`, 400, "invalid_request", ""},
	}
	for _, tc := range cases {
		code, b, _ := s.Call(t, http.MethodPost, "/tasks", tc.body)
		t.Run(tc.name, func(t *testing.T) {
			expectError(t, code, b, tc.status, tc.code, tc.field)
		})
	}
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"***"}`)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "data_base64")
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", fmt.Sprintf(`{"task_id":%q,"type":"log","content_type":"text/plain","data_base64":""}`, "00000000-0000-7000-8000-000000000000"))
	require.Contains(t, []int{404, 422}, code, string(b))
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/nope", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/00000000-0000-7000-8000-000000000000/cancel", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")

	// Nothing was half-written: no task exists after all those refusals.
	code, b, _ = s.Call(t, http.MethodGet, "/tasks", nil)
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, decode[struct {
		Tasks []json.RawMessage `json:"tasks"`
	}](t, b).Tasks)
}

func flowUnknownRoutes(t *testing.T, start starter) {
	s := start(t, nil)
	req, err := http.NewRequest(http.MethodGet, s.URL+"/no/such/route", nil)
	require.NoError(t, err)
	resp, err := s.HTTP.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func flowRequestID(t *testing.T, start starter) {
	s := start(t, nil)
	_, _, h := s.Call(t, http.MethodGet, "/health", nil, "X-Request-ID", "my-request-42")
	require.Equal(t, "my-request-42", h.Get("X-Request-ID"))
	_, _, h = s.Call(t, http.MethodGet, "/tasks/nope", nil)
	require.NotEmpty(t, h.Get("X-Request-ID"))

	// The services' own events carry the request id of the request that caused them.
	code, b, _ := s.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}}, "X-Request-ID", "submit-7")
	require.Equal(t, http.StatusAccepted, code, string(b))
	id := decode[task](t, b).ID
	found := false
	for _, e := range s.logs.Events("task_submitted") {
		if e["task_id"] == id {
			require.Equal(t, "submit-7", e["request_id"])
			found = true
		}
	}
	require.True(t, found, "no task_submitted event for %s", id)
}
