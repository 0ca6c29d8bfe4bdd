package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Fakes for what the real stack cannot show (stack_test.go and stack_ops_test.go run every
// command against the real one, and hold the golden outputs): a server that answers a
// long-poll at once, or holds it; progress scripted poll by poll; a proxy's HTML error
// page.

// fakeTask is a task JSON as the API sends it.
func fakeTask(id, status string, extra map[string]any) map[string]any {
	t := map[string]any{
		"id": id, "type": "echo", "status": status, "params": map[string]any{"msg": "hi"},
		"result": nil, "error": nil, "attempts": 1, "max_retries": 0, "timeout_seconds": 600,
		"created_at": "2026-01-02T03:04:05.123Z", "updated_at": "2026-01-02T03:04:06Z",
		"started_at": nil, "finished_at": nil, "priority": 2,
	}
	for k, v := range extra {
		t[k] = v
	}
	return t
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// failedID is the task the fakes answer about.
const failedID = "01a22d29-0000-7000-8000-000000000001"

// A proxy in front of the API answering with its own HTML page: one error line naming
// the status and the page's text.
func TestProxyErrorPage(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>upstream is down</body></html>\n")
	}))
	t.Cleanup(srv.Close)
	r := term{server: srv.URL}.run(t.Context(), "tasks", "get", failedID)
	require.Equal(t, 1, r.code)
	require.Empty(t, r.stdout)
	require.Equal(t, "error: http_502: <html><body>upstream is down</body></html>\n", r.stderr)
}

// syncBuffer is a bytes buffer safe for a writer and a polling reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// pollServer answers GET /tasks/{id}?wait=N: it records each request, and answer decides
// what the n-th (from 1) gets.
type pollServer struct {
	mu    sync.Mutex
	times []time.Time
	waits []string
}

func (p *pollServer) start(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) term {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.times = append(p.times, time.Now())
		p.waits = append(p.waits, r.URL.Query().Get("wait"))
		n := len(p.times)
		p.mu.Unlock()
		answer(n, w, r)
	}))
	t.Cleanup(srv.Close)
	return term{server: srv.URL}
}

// A server without long-poll answers at once: the loop pauses between polls (no spin)
// and ends when the task is final.
func TestWaitPausesWhenTheServerAnswersAtOnce(t *testing.T) {
	t.Parallel()
	var p pollServer
	tm := p.start(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 4 {
			writeJSON(w, http.StatusOK, fakeTask(failedID, "running", nil))
			return
		}
		writeJSON(w, http.StatusOK, fakeTask(failedID, "succeeded", map[string]any{"result": map[string]any{"msg": "hi"}}))
	})
	r := tm.run(t.Context(), "tasks", "wait", failedID, "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, p.times, 4)
	for i := 1; i < len(p.times); i++ {
		require.GreaterOrEqual(t, p.times[i].Sub(p.times[i-1]), minPause, "poll %d came without a pause", i+1)
	}
	require.Equal(t, []string{"20", "20", "20", "20"}, p.waits)
	require.Contains(t, r.stdout, `"status": "succeeded"`)
}

// A long-polling server holds the request until the task is final: one request, no
// pause, and the answer as soon as it is final.
func TestWaitUsesTheLongPoll(t *testing.T) {
	t.Parallel()
	var p pollServer
	final := make(chan struct{})
	arrived := make(chan struct{}, 1)
	tm := p.start(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-final:
		case <-r.Context().Done():
			return
		}
		writeJSON(w, http.StatusOK, fakeTask(failedID, "succeeded", nil))
	})
	done := make(chan result, 1)
	go func() { done <- tm.run(t.Context(), "tasks", "wait", failedID, "-o", "table") }()
	<-arrived
	close(final)
	r := <-done
	require.Equal(t, 0, r.code, r.stderr)
	require.Len(t, p.times, 1)
}

// On a terminal, --wait shows the task's progress on stderr; a failed task exits 1 with
// its error on one line.
func TestWaitShowsProgressAndFails(t *testing.T) {
	t.Parallel()
	var p pollServer
	tm := p.start(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 3 {
			writeJSON(w, http.StatusOK, fakeTask(failedID, "running", map[string]any{"progress": map[string]any{"done": n, "total": 5, "message": "pages fetched"}}))
			return
		}
		writeJSON(w, http.StatusOK, fakeTask(failedID, "failed", map[string]any{"error": map[string]any{"code": "provider_error", "message": "upstream\nanswered 500"}}))
	})
	tm.stderrTTY = true
	r := tm.run(t.Context(), "tasks", "wait", failedID, "-o", "table")
	require.Equal(t, 1, r.code)
	require.Contains(t, r.stderr, "\r\033[K"+failedID+"  running  1/5 pages fetched  ")
	require.Contains(t, r.stderr, "\r\033[K"+failedID+"  running  2/5 pages fetched  ")
	require.True(t, strings.HasSuffix(r.stderr, "\r\033[Kerror: provider_error: task "+failedID+" failed: upstream answered 500\n"), "%q", r.stderr)
	require.Contains(t, r.stdout, "error            provider_error: upstream answered 500\n")

	off := term{server: tm.server}.run(t.Context(), "tasks", "get", failedID, "-o", "table")
	require.Equal(t, 0, off.code, off.stderr)
	require.Empty(t, off.stderr, "no progress line off a terminal")
}
