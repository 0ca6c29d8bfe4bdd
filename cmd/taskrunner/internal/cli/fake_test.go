package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The endpoints that other branches add (retry, delete, stats, events and the long-poll
// wait) are tested here against a fake that answers as API.md ("Operations") says; the
// stack tests cover them once they exist on the same branch.

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

func apiErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "details": map[string]any{}}})
}

const (
	failedID  = "01a22d29-0000-7000-8000-000000000001"
	runningID = "01a22d29-0000-7000-8000-000000000002"
	retriedID = "01a22d29-0000-7000-8000-000000000003"
)

// opsServer answers retry, delete and stats as API.md describes them.
func opsServer(t *testing.T) term {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tasks/{id}/retry", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case failedID:
			writeJSON(w, http.StatusAccepted, fakeTask(retriedID, "queued", map[string]any{"attempts": 0, "retry_of": failedID}))
		case runningID:
			apiErr(w, http.StatusConflict, "task_not_retryable", "task "+runningID+" is running: only a failed or cancelled task can be retried")
		default:
			apiErr(w, http.StatusNotFound, "task_not_found", "task "+r.PathValue("id")+" not found")
		}
	})
	mux.HandleFunc("DELETE /tasks/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case failedID:
			w.WriteHeader(http.StatusNoContent)
		case runningID:
			apiErr(w, http.StatusConflict, "task_not_final", "task "+runningID+" is running: cancel it first")
		default:
			apiErr(w, http.StatusNotFound, "task_not_found", "task not found")
		}
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"by_status":                 map[string]any{"queued": 3, "running": 1, "succeeded": 40, "failed": 2},
			"by_type":                   map[string]any{"echo": map[string]any{"queued": 3, "succeeded": 40, "p50_ms": 1.5, "p95_ms": 12}},
			"last_minute":               map[string]any{"finished": 7, "failed": 1},
			"last_hour":                 map[string]any{"finished": 42, "failed": 2},
			"oldest_queued_age_seconds": 12.25,
		})
	})
	mux.HandleFunc("GET /bad-gateway", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>\n<body>bad gateway</body></html>")
	})
	mux.HandleFunc("GET /tasks/{id}", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>upstream is down</body></html>\n")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return term{server: srv.URL}
}

func TestRetryDeleteStatsAgainstTheContract(t *testing.T) {
	t.Parallel()
	tm := opsServer(t)
	ctx := t.Context()
	golden(t,
		tm.run(ctx, "tasks", "retry", failedID, "-o", "table"),
		tm.run(ctx, "tasks", "retry", failedID, "-o", "json"),
		tm.run(ctx, "tasks", "retry", runningID),
		tm.run(ctx, "tasks", "delete", failedID, "-o", "table"),
		tm.run(ctx, "tasks", "delete", failedID, "-o", "json"),
		tm.run(ctx, "tasks", "delete", runningID),
		tm.run(ctx, "tasks", "delete", "nope"),
		tm.run(ctx, "stats", "-o", "table"),
		tm.run(ctx, "stats", "-o", "json"),
		tm.run(ctx, "tasks", "get", failedID), // a proxy's HTML error page
	)
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

func sseEventText(id string, task map[string]any) string {
	b, _ := json.Marshal(task)
	return fmt.Sprintf("id: %s\nevent: task\ndata: %s\n\n", id, b)
}

// eventsServer serves GET /events: the first connection sends two task changes, an event
// of another name and a comment, then drops; the reconnect must carry Last-Event-ID and
// gets a third change, then stays open.
func eventsServer(t *testing.T, queries chan<- string) term {
	t.Helper()
	var mu sync.Mutex
	conns := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/events", r.URL.Path)
		require.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		mu.Lock()
		conns++
		n := conns
		mu.Unlock()
		queries <- r.URL.RawQuery
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		if n == 1 {
			_, _ = io.WriteString(w, ": connected\n\n")
			_, _ = io.WriteString(w, sseEventText("7", fakeTask(failedID, "running", map[string]any{"progress": map[string]any{"done": 2, "total": 5, "message": "pages"}})))
			_, _ = io.WriteString(w, "event: ping\ndata: {}\n\n")
			_, _ = io.WriteString(w, sseEventText("8", fakeTask(failedID, "failed", map[string]any{"error": map[string]any{"code": "provider_error", "message": "upstream 500"}})))
			fl.Flush()
			return // the stream drops
		}
		if r.Header.Get("Last-Event-ID") != "8" {
			t.Errorf("the reconnect sent Last-Event-ID %q, want 8", r.Header.Get("Last-Event-ID"))
		}
		_, _ = io.WriteString(w, sseEventText("9", fakeTask(retriedID, "queued", map[string]any{"retry_of": failedID})))
		fl.Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return term{server: srv.URL}
}

func TestWatchPrintsOneLinePerChangeAndResumes(t *testing.T) {
	t.Parallel()
	var runs []result
	for _, format := range []string{"table", "json"} {
		queries := make(chan string, 4)
		tm := eventsServer(t, queries)
		ctx, cancel := context.WithCancel(t.Context())
		out, errOut := &syncBuffer{}, &syncBuffer{}
		args := []string{"watch", "--type", "echo", "--status", "running,failed", "--status", "queued", "-o", format}
		done := make(chan int, 1)
		go func() {
			done <- Run(ctx, args, Env{Stdout: out, Stderr: errOut, Getenv: func(k string) string {
				return map[string]string{"TASKRUNNER_URL": tm.server}[k]
			}})
		}()
		require.Equal(t, "status=running%2Cfailed%2Cqueued&type=echo", <-queries)
		require.Eventually(t, func() bool { return strings.Count(out.String(), "\n") == 3 }, 10*time.Second, 10*time.Millisecond)
		cancel() // Ctrl-C
		require.Equal(t, exitStopped, <-done)
		runs = append(runs, result{args: args, stdout: out.String(), stderr: errOut.String(), code: exitStopped})
	}
	golden(t, runs...)
}

// A server that refuses the stream (auth) ends watch at once with the API's error.
func TestWatchReportsARefusal(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		apiErr(w, http.StatusUnauthorized, "unauthorized", "missing bearer token")
	}))
	t.Cleanup(srv.Close)
	r := term{server: srv.URL}.run(t.Context(), "watch")
	require.Equal(t, 1, r.code)
	require.Equal(t, "error: unauthorized: missing bearer token\n", r.stderr)
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

// --timeout gives up waiting: exit 1 naming the task's last status.
func TestWaitTimeout(t *testing.T) {
	t.Parallel()
	var p pollServer
	tm := p.start(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		// a long-poll server holds the request for the wait asked
		wait, _ := time.ParseDuration(r.URL.Query().Get("wait") + "s")
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		}
		writeJSON(w, http.StatusOK, fakeTask(failedID, "running", nil))
	})
	r := tm.run(t.Context(), "tasks", "wait", failedID, "--timeout", "1")
	require.Equal(t, 1, r.code)
	require.Equal(t, "error: task "+failedID+" is still running after 1s\n", r.stderr)
}
