package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

const articleHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Quiet Queue</title></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>The Quiet Queue</h1>
<p>Workers that block on the queue instead of polling it answer new work within milliseconds and cost nothing while idle.</p>
<p>Leases with heartbeats let a second worker finish what a crashed one started, without running a finished task twice.</p>
<p>The record stays in PostgreSQL, so a lost queue can be rebuilt from the tasks that are still waiting.</p>
</article><footer>Copyright 2026</footer></body></html>`

type fetchResult struct {
	ArtifactIDs []string `json:"artifact_ids"`
	Title       string   `json:"title"`
	FinalURL    string   `json:"final_url"`
	Cached      bool     `json:"cached"`
}

func articleServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(articleHTML))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func flowFetch(t *testing.T, start starter) {
	s := start(t, nil)
	page := articleServer(t).URL + "/post"
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": page, "reader_mode": true, "store_raw_html": true}).ID, "succeeded")
	require.Equal(t, "fetch_url", tk.Type)
	r := decode[fetchResult](t, tk.Result)
	require.Equal(t, "The Quiet Queue", r.Title)
	require.False(t, r.Cached)
	require.Len(t, r.ArtifactIDs, 2)

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, h.Get("Content-Type"), "text/plain")
	text := string(b)
	require.Contains(t, text, "block on the queue instead of polling")
	require.NotContains(t, text, "Copyright 2026")

	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[1], nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, articleHTML, string(b))

	again := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": page, "reader_mode": true, "store_raw_html": true}).ID, "succeeded")
	r2 := decode[fetchResult](t, again.Result)
	require.True(t, r2.Cached)
	require.Equal(t, r.ArtifactIDs, r2.ArtifactIDs)

	code, b, _ = s.Call(t, http.MethodPost, "/fetch", map[string]any{"url": "ftp://example.com/x"})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
}

// flowFetchRetry: the page answers 503 once; with retries left the task is retried and
// succeeds on the second attempt.
func flowFetchRetry(t *testing.T, start starter) {
	s := start(t, nil)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(articleHTML))
	}))
	t.Cleanup(srv.Close)
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": srv.URL + "/flaky", "max_retries": 2}).ID, "succeeded")
	require.Equal(t, 2, tk.Attempts)
	require.NotEmpty(t, s.logs.Events("task_retry_scheduled"))

	// Without retries the same failure is final.
	var hits2 atomic.Int32
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits2.Add(1)
		http.Error(w, "down", http.StatusBadGateway)
	}))
	t.Cleanup(srv2.Close)
	failed := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": srv2.URL + "/down"}).ID, "failed")
	require.Equal(t, "fetch_failed", failed.Error.Code)
	require.Equal(t, int32(1), hits2.Load())
}

// flowFetchRetryAfterBeyondCap: a page answering 503 with a century-long Retry-After
// fails at once with fetch_failed, the wait named, instead of parking the task for years.
func flowFetchRetryAfterBeyondCap(t *testing.T, start starter) {
	s := start(t, nil)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "3153600000")
		http.Error(w, "come back next century", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": srv.URL + "/later", "max_retries": 3}).ID, "failed")
	require.Equal(t, "fetch_failed", tk.Error.Code)
	require.Contains(t, tk.Error.Message, "3153600000s")
	require.Equal(t, 1, tk.Attempts)
	require.Equal(t, int32(1), hits.Load())
}

func flowFetchBlocked(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) {
		c.FetchAllowPrivate = false
		c.Limits.FetchDomainAllowlist = []string{"127.0.0.1", "*.example.com"}
	})
	page := articleServer(t).URL
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": page}).ID, "failed")
	require.Equal(t, "fetch_blocked", tk.Error.Code)
	require.False(t, strings.Contains(tk.Error.Message, "secret"))

	code, b, _ := s.Call(t, http.MethodPost, "/fetch", map[string]any{"url": "https://not-allowed.org/"})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
}
