package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/ports"
)

func TestHealthOK(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("GET", "/health", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, map[string]any{"status": "ok", "checks": map[string]any{"store": "ok", "queue": "ok", "blobs": "ok"}}, resp.json(t))
}

func TestHealthNamesTheFailingCheck(t *testing.T) {
	t.Parallel()
	r := setup(t)
	r.store.down.Store(true)
	resp := r.do("GET", "/health", nil)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	body := resp.json(t)
	require.Equal(t, "unavailable", resp.errorCode(t))
	require.Contains(t, resp.errorMessage(t), "store")
	require.Equal(t, map[string]any{"store": "unavailable", "queue": "ok", "blobs": "ok"}, body["checks"])
	require.NotContains(t, string(resp.body), "10.0.0.1", "driver errors stay in the log")
	require.NotEmpty(t, r.logs.Events("health_check_failed"))
}

func TestHealthTimesOutAHungServiceWithoutHidingOthers(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.health = map[string]ports.Pinger{"store": okPinger{}, "queue": hungPinger{}, "blobs": downPinger{}}
		c.cfg = func(hc *httpapi.Config) { hc.HealthTimeout = 50 * time.Millisecond }
	})
	resp := r.do("GET", "/health", nil)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, map[string]any{"store": "ok", "queue": "timeout", "blobs": "unavailable"}, resp.json(t)["checks"])
	details := resp.json(t)["error"].(map[string]any)["details"].(map[string]any)
	require.Equal(t, []any{"blobs", "queue"}, details["failing"])
}

func TestLimits(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.limits.SearchSourceAllowlist = []string{"brave", "demo"}
		c.cfg = func(cfg *httpapi.Config) {
			cfg.Settings = httpapi.Settings{WebhookMaxAttempts: 3, WebhookAllowPrivateNetworks: true,
				FetchHostMinInterval: 1500 * time.Millisecond, FetchRespectRobots: true, FetchRobotsTTL: time.Hour}
		}
	})
	resp := r.do("GET", "/limits", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, map[string]any{
		"task_max_runtime_seconds": float64(600), "task_max_artifact_mb": float64(25), "tasks_per_minute": float64(0),
		"search_source_allowlist": []any{"brave", "demo"}, "search_max_results": float64(10),
		"fetch_domain_allowlist": []any{"*"}, "fetch_allowed_ports": []any{"80", "443"}, "max_batch_size": float64(50),
		"task_retention_days": float64(30), "search_default_sources": []any{"brave"},
		"webhook_max_attempts": float64(3), "webhook_allow_private_networks": true,
		"fetch_host_min_interval_ms": float64(1500), "fetch_respect_robots": true, "fetch_robots_ttl_seconds": float64(3600),
	}, resp.json(t))
}

func TestOpenAPIIsServed(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("GET", "/openapi.json", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.JSONEq(t, string(httpapi.OpenAPIDocument()), string(resp.body))
}

func TestMetricsOffAnswers404(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.noMetric = true })
	resp := r.do("GET", "/metrics", nil)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Equal(t, "not_found", resp.errorCode(t))
}

func TestUnknownRouteAndMethod(t *testing.T) {
	t.Parallel()
	r := setup(t)
	nf := r.do("GET", "/no/such/route", nil)
	require.Equal(t, http.StatusNotFound, nf.StatusCode)
	require.Equal(t, "not_found", nf.errorCode(t))
	require.True(t, strings.HasPrefix(nf.Header.Get("Content-Type"), "application/json"))

	na := r.do("PUT", "/tasks", nil) // DELETE is served on /tasks/{id}
	require.Equal(t, http.StatusMethodNotAllowed, na.StatusCode)
	require.Equal(t, "method_not_allowed", na.errorCode(t))
}
