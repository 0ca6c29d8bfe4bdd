package httpapi_test

import (
	"net/http"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

var timeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)

func TestSubmitTaskReturnsTheTaskAsAPIMDShowsIt(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "hello"}})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)

	keys := make([]string, 0, len(task))
	for k := range task {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	require.Equal(t, []string{"attempts", "callback", "cancel_requested", "created_at", "error", "finished_at", "heartbeat_at",
		"id", "max_retries", "params", "parent_id", "priority", "progress", "result", "retry_of", "run_at", "schedule_id",
		"started_at", "status", "timeout_seconds", "type", "updated_at", "worker"}, keys)
	require.Nil(t, task["run_at"], "never deferred")
	require.EqualValues(t, 2, task["priority"], "the default priority")
	require.Nil(t, task["parent_id"])
	require.Nil(t, task["schedule_id"])
	require.Equal(t, "echo", task["type"])
	require.Equal(t, "queued", task["status"])
	require.Equal(t, map[string]any{"msg": "hello"}, task["params"])
	require.Nil(t, task["result"])
	require.Nil(t, task["error"])
	require.Nil(t, task["started_at"])
	require.Nil(t, task["finished_at"])
	require.EqualValues(t, 0, task["attempts"])
	require.EqualValues(t, 0, task["max_retries"])
	require.EqualValues(t, 600, task["timeout_seconds"])
	require.Regexp(t, timeRE, task["created_at"])
	require.Equal(t, "2025-01-02T03:04:05.123456Z", task["created_at"])
	require.Equal(t, "/tasks/"+task["id"].(string), resp.Header.Get("Location"))

	got := r.do("GET", "/tasks/"+task["id"].(string), nil)
	require.Equal(t, http.StatusOK, got.StatusCode)
	require.Equal(t, task, got.json(t))
}

func TestSubmitTaskHonoursOptions(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 1},
		"timeout_seconds": 5, "max_retries": 2})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.EqualValues(t, 5, task["timeout_seconds"])
	require.EqualValues(t, 2, task["max_retries"])
	require.Equal(t, map[string]any{"seconds": float64(1)}, task["params"])
}

func TestSubmitWithoutParamsDefaultsToEmptyObject(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", `{"type":"echo"}`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	require.Equal(t, map[string]any{}, resp.json(t)["params"])
}

func TestIdempotentReplayReturnsTheFirstTaskWith200(t *testing.T) {
	t.Parallel()
	r := setup(t)
	body := map[string]any{"type": "echo", "params": map[string]any{"n": 1}, "idempotency_key": "k-1"}
	first := r.do("POST", "/tasks", body)
	require.Equal(t, http.StatusAccepted, first.StatusCode)
	second := r.do("POST", "/tasks", body)
	require.Equal(t, http.StatusOK, second.StatusCode, string(second.body))
	require.Equal(t, first.json(t)["id"], second.json(t)["id"])
}

func TestListTasksPagesNewestFirst(t *testing.T) {
	t.Parallel()
	r := setup(t)
	ids := []string{r.submitEcho("a"), r.submitEcho("b"), r.submitEcho("c")}
	sleep := r.do("POST", "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 0}})
	require.Equal(t, http.StatusAccepted, sleep.StatusCode)

	var seen []string
	path := "/tasks?type=echo&status=queued&limit=2"
	for range 5 {
		resp := r.do("GET", path, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(resp.body))
		page := resp.json(t)
		require.Contains(t, page, "next_cursor")
		for _, task := range page["tasks"].([]any) {
			seen = append(seen, task.(map[string]any)["id"].(string))
		}
		if page["next_cursor"] == nil {
			break
		}
		path = "/tasks?type=echo&status=queued&limit=2&cursor=" + page["next_cursor"].(string)
	}
	require.Equal(t, []string{ids[2], ids[1], ids[0]}, seen)

	empty := r.do("GET", "/tasks?status=failed", nil)
	require.Equal(t, http.StatusOK, empty.StatusCode)
	require.Equal(t, map[string]any{"tasks": []any{}, "next_cursor": nil}, empty.json(t))
}

func TestListTasksRejectsBadQueries(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for query, field := range map[string]string{
		"limit=abc": "limit", "limit=0": "limit", "limit=501": "limit", "status=bogus": "status",
		"type=bogus": "type", "cursor=%21%21": "cursor",
	} {
		resp := r.do("GET", "/tasks?"+query, nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, query)
		require.Equal(t, "invalid_request", resp.errorCode(t), query)
		require.Equal(t, field, resp.errorField(t), query)
	}
}

func TestCancelQueuedTaskThenConflict(t *testing.T) {
	t.Parallel()
	r := setup(t)
	id := r.submitEcho("x")
	resp := r.do("POST", "/tasks/"+id+"/cancel", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.Equal(t, "cancelled", task["status"])
	require.Equal(t, "task_cancelled", task["error"].(map[string]any)["code"])
	require.Regexp(t, timeRE, task["finished_at"])

	again := r.do("POST", "/tasks/"+id+"/cancel", nil)
	require.Equal(t, http.StatusConflict, again.StatusCode, string(again.body))
	require.Equal(t, "task_already_finished", again.errorCode(t))
}

func TestUnknownTasksAre404(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for _, req := range []struct{ method, path string }{
		{"GET", "/tasks/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b"},
		{"GET", "/tasks/not-a-uuid"},
		{"POST", "/tasks/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b/cancel"},
		{"GET", "/tasks/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b/artifacts"},
	} {
		resp := r.do(req.method, req.path, nil)
		require.Equal(t, http.StatusNotFound, resp.StatusCode, req.path)
		require.Equal(t, "task_not_found", resp.errorCode(t), req.path)
	}
}

func TestInvalidParamsAre422NamingTheField(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.limits.TaskMaxRuntimeSeconds = 60
	})
	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"timeout zero":     {map[string]any{"type": "echo", "timeout_seconds": 0}, "timeout_seconds"},
		"timeout negative": {map[string]any{"type": "echo", "timeout_seconds": -5}, "timeout_seconds"},
		"timeout too big":  {map[string]any{"type": "echo", "timeout_seconds": 61}, "timeout_seconds"},
		"retries too many": {map[string]any{"type": "echo", "max_retries": 11}, "max_retries"},
		"retries negative": {map[string]any{"type": "echo", "max_retries": -1}, "max_retries"},
		"sleep negative":   {map[string]any{"type": "sleep", "params": map[string]any{"seconds": -1}}, "params.seconds"},
		"sleep missing":    {map[string]any{"type": "sleep", "params": map[string]any{}}, "params.seconds"},
		"idempotency huge": {map[string]any{"type": "echo", "idempotency_key": string(make([]byte, 256))}, "idempotency_key"},
	} {
		resp := r.do("POST", "/tasks", tc.body)
		resp.requireInvalidParams(t, tc.field, name)
	}
	list := r.do("GET", "/tasks", nil)
	require.Empty(t, list.json(t)["tasks"], "a rejected submit leaves no record")
}

func TestTaskTypeNotInThisBuildIs422(t *testing.T) {
	t.Parallel()
	r2 := setup(t, func(c *rigConfig) { c.without = []domain.TaskType{domain.TaskFetchURL} })
	resp := r2.do("POST", "/tasks", map[string]any{"type": "fetch_url", "params": map[string]any{"url": "https://example.com"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, string(resp.body))
	require.Equal(t, "type", resp.errorField(t))
	require.Contains(t, resp.errorMessage(t), "fetch_url")

	short := r2.do("POST", "/fetch", map[string]any{"url": "https://example.com"})
	require.Equal(t, http.StatusUnprocessableEntity, short.StatusCode, string(short.body))
	require.Equal(t, "type", short.errorField(t))
}

func TestUnknownTaskTypeIs400(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for _, body := range []string{`{"type":"bogus"}`, `{"params":{}}`, `{"type":""}`} {
		resp := r.do("POST", "/tasks", body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
		require.Equal(t, "type", resp.errorField(t), body)
	}
}
