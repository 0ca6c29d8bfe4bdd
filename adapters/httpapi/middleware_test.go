package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

func TestRequestIDIsEchoedOrGenerated(t *testing.T) {
	t.Parallel()
	r := setup(t)
	echoed := r.do("GET", "/limits", nil, "X-Request-ID", "client-id.1:2_3")
	require.Equal(t, "client-id.1:2_3", echoed.Header.Get("X-Request-ID"))

	onError := r.do("GET", "/tasks/nope", nil, "X-Request-ID", "err-7")
	require.Equal(t, http.StatusNotFound, onError.StatusCode)
	require.Equal(t, "err-7", onError.Header.Get("X-Request-ID"))

	for _, bad := range []string{"has space", strings.Repeat("a", 129), "semi;colon"} {
		resp := r.do("GET", "/limits", nil, "X-Request-ID", bad)
		got := resp.Header.Get("X-Request-ID")
		require.NotEqual(t, bad, got)
		require.Regexp(t, `^[0-9a-f]{32}$`, got)
	}
	a := r.do("GET", "/limits", nil).Header.Get("X-Request-ID")
	b := r.do("GET", "/limits", nil).Header.Get("X-Request-ID")
	require.NotEqual(t, a, b)
}

func TestAccessLogLine(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.tokens = []string{"s3cret-token"} })
	id := r.do("POST", "/tasks", `{"type":"echo"}`, "Authorization", "Bearer s3cret-token", "X-Request-ID", "log-1")
	require.Equal(t, http.StatusAccepted, id.StatusCode)
	taskID := id.json(t)["id"].(string)
	r.do("GET", "/tasks/"+taskID, nil, "Authorization", "Bearer s3cret-token", "X-Request-ID", "log-2")

	var line map[string]any
	for _, l := range r.logs.Events("http_request") {
		if l["request_id"] == "log-2" {
			line = l
		}
	}
	require.NotNil(t, line, r.logs.String())
	require.Equal(t, "GET", line["method"])
	require.Equal(t, "/tasks/:id", line["route"])
	require.EqualValues(t, 200, line["status"])
	require.Contains(t, line, "duration_ms")
	require.Greater(t, line["bytes"].(float64), float64(0))
	require.NotContains(t, r.logs.String(), "s3cret-token")
}

func TestAuth(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.tokens = []string{"tok-a", " ", "tok-b"}
		c.limits.TasksPerMinute = 100
	})
	for _, h := range [][]string{
		{}, {"Authorization", "Bearer wrong"}, {"Authorization", "tok-a"}, {"Authorization", "Basic dG9rLWE="},
		{"Authorization", "Bearer "}, {"Authorization", "Bearer tok-a-longer"},
	} {
		resp := r.do("GET", "/limits", nil, h...)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, h)
		require.Equal(t, "unauthorized", resp.errorCode(t), h)
		require.True(t, strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer"), h)
	}
	for _, path := range []string{"/tasks", "/metrics", "/artifacts/x"} {
		require.Equal(t, http.StatusUnauthorized, r.do("GET", path, nil).StatusCode, path)
	}
	require.Equal(t, http.StatusNotFound, r.do("GET", "/nope", nil).StatusCode, "unknown paths are 404 for everyone")
	require.Equal(t, http.StatusOK, r.do("GET", "/health", nil).StatusCode)
	require.Equal(t, http.StatusOK, r.do("GET", "/openapi.json", nil).StatusCode)
	require.Equal(t, http.StatusOK, r.do("GET", "/limits", nil, "Authorization", "Bearer tok-b").StatusCode)
	require.Equal(t, http.StatusOK, r.do("GET", "/limits", nil, "Authorization", "bearer tok-a").StatusCode)

	// The rate-limit identity is derived from the token, never the token itself.
	resp := r.do("POST", "/tasks", `{"type":"echo"}`, "Authorization", "Bearer tok-a")
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	stored, err := r.store.Get(t.Context(), resp.json(t)["id"].(string))
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("tok-a"))
	require.Equal(t, "token:"+hex.EncodeToString(sum[:])[:16], stored.ClientID)
}

func TestClientIDIsTheAddressWithoutAuth(t *testing.T) {
	t.Parallel()
	r := setup(t)
	id := r.submitEcho("ip")
	stored, err := r.store.Get(t.Context(), id)
	require.NoError(t, err)
	require.Equal(t, "0.0.0.0", stored.ClientID) // what app.Test's in-memory connection reports
}

func TestRateLimitIs429WithRetryAfter(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.limits.TasksPerMinute = 2 })
	r.submitEcho("1")
	r.submitEcho("2")
	resp := r.do("POST", "/tasks", `{"type":"echo"}`)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "rate_limit_exceeded", resp.errorCode(t))
	require.Regexp(t, `^[1-9][0-9]*$`, resp.Header.Get("Retry-After"))

	short := r.do("POST", "/search", `{"query":"q"}`)
	require.Equal(t, http.StatusTooManyRequests, short.StatusCode, "shortcuts count too")
}

func TestBackingServiceDownIs503(t *testing.T) {
	t.Parallel()
	r := setup(t)
	id := r.submitEcho("x")
	r.store.down.Store(true)
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/tasks/" + id, ""}, {"GET", "/tasks", ""}, {"POST", "/tasks/" + id + "/cancel", ""},
		{"POST", "/tasks", `{"type":"echo"}`}, {"GET", "/tasks/" + id + "/artifacts", ""},
	} {
		var body any
		if req.body != "" {
			body = req.body
		}
		resp := r.do(req.method, req.path, body)
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, req.path)
		require.Equal(t, "unavailable", resp.errorCode(t), req.path)
		require.NotContains(t, string(resp.body), "10.0.0.1", "driver errors stay in the log")
	}
}

func TestPanicIs500WithGenericBody(t *testing.T) {
	t.Parallel()
	r := setup(t)
	r.store.panicOnList.Store(true)
	resp := r.do("GET", "/tasks", nil, "X-Request-ID", "boom-1")
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	require.Equal(t, "internal", resp.errorCode(t))
	require.Contains(t, resp.errorMessage(t), "boom-1")
	require.NotContains(t, string(resp.body), "flakyStore")
	panics := r.logs.Events("http_panic")
	require.Len(t, panics, 1)
	require.Equal(t, "boom-1", panics[0]["request_id"])
	require.Contains(t, panics[0]["stack"], "flakyStore")
	internal := r.logs.Events("http_internal_error")
	require.NotEmpty(t, internal)
	require.Equal(t, "boom-1", internal[0]["request_id"])

	// The server keeps serving.
	r.store.panicOnList.Store(false)
	require.Equal(t, http.StatusOK, r.do("GET", "/tasks", nil).StatusCode)
}

func TestHungServiceIs503AfterTheRequestTimeout(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.RequestTimeout = 50 * time.Millisecond } })
	id := r.submitEcho("x")
	r.store.hang.Store(true)
	resp := r.do("GET", "/tasks/"+id, nil)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "unavailable", resp.errorCode(t))
}
