package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSearchShortcutAppliesAPIDefaults(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/search", map[string]any{"query": "golang"})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.Equal(t, "search", task["type"])
	require.Equal(t, map[string]any{"query": "golang", "recency_days": float64(7),
		"max_results": float64(10)}, task["params"], "sources stay absent: the search task's default applies")

	// With the real search handler the default sources are the allowed ones that can
	// answer, as the bootstrap computed them (demo, say, in memory mode without keys).
	real := setup(t, func(c *rigConfig) {
		c.realSearch = true
		c.limits.SearchSourceAllowlist = []string{"brave", "demo"}
		c.limits.SearchDefaultSources = []string{"demo"}
	})
	resp = real.do("POST", "/search", map[string]any{"query": "golang"})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	require.Equal(t, []any{"demo"}, resp.json(t)["params"].(map[string]any)["sources"])
}

func TestSearchShortcutPassesFieldsAndOptions(t *testing.T) {
	t.Parallel()
	r := setup(t)
	body := map[string]any{"query": "golang", "sources": []string{"brave", "exa"}, "recency_days": 30,
		"max_results": 3, "timeout_seconds": 20, "max_retries": 1, "idempotency_key": "s-1"}
	resp := r.do("POST", "/search", body)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.Equal(t, map[string]any{"query": "golang", "sources": []any{"brave", "exa"}, "recency_days": float64(30),
		"max_results": float64(3)}, task["params"])
	require.EqualValues(t, 20, task["timeout_seconds"])
	require.EqualValues(t, 1, task["max_retries"])

	replay := r.do("POST", "/search", body)
	require.Equal(t, http.StatusOK, replay.StatusCode)
	require.Equal(t, task["id"], replay.json(t)["id"])
}

func TestSearchBatchShortcut(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/search/batch", map[string]any{"queries": []string{"a", "b"}, "recency_days": 3})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.Equal(t, "search_batch", task["type"])
	require.Equal(t, map[string]any{"queries": []any{"a", "b"}, "recency_days": float64(3)}, task["params"])
}

func TestFetchShortcut(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/fetch", map[string]any{"url": "https://example.com/a", "store_raw_html": true})
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	task := resp.json(t)
	require.Equal(t, "fetch_url", task["type"])
	require.Equal(t, map[string]any{"url": "https://example.com/a", "reader_mode": true, "store_raw_html": true}, task["params"])
}

func TestShortcutsRequireTheirMainField(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for path, field := range map[string]string{"/search": "query", "/search/batch": "queries", "/fetch": "url"} {
		resp := r.do("POST", path, map[string]any{})
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, path)
		require.Equal(t, field, resp.errorField(t), path)
	}
	bad := r.do("POST", "/search", map[string]any{"query": "x", "timeout_seconds": 0})
	require.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	require.Equal(t, "timeout_seconds", bad.errorField(t))
}
