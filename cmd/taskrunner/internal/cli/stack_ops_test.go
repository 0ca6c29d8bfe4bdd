package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

// retry, delete, stats and wait against the real stack: a cancelled task is retried (the
// retry runs at once, and is waited for), a scheduled one refuses both; stats count what
// the test did.
func TestStackRetryDeleteStats(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	ctx := t.Context()
	ran := tm.run(ctx, "submit", "echo", "-p", "msg=ran", "--wait", "-o", "json")
	require.Equal(t, 0, ran.code, ran.stderr)
	later := taskOf(t, tm.run(ctx, "submit", "echo", "-p", "msg=later", "--delay", "3600", "-o", "json")).ID
	other := taskOf(t, tm.run(ctx, "submit", "echo", "-p", "msg=other", "--delay", "3600", "-o", "json")).ID
	pending := taskOf(t, tm.run(ctx, "submit", "echo", "-p", "msg=pending", "--delay", "3600", "-o", "json")).ID
	for _, id := range []string{later, other} {
		r := tm.run(ctx, "tasks", "cancel", id, "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
	}

	retried := tm.run(ctx, "tasks", "retry", later, "-o", "table")
	retriedJSON := tm.run(ctx, "tasks", "retry", later, "-o", "json")
	notRetryable := tm.run(ctx, "tasks", "retry", pending)
	waited := tm.run(ctx, "tasks", "wait", taskOf(t, retriedJSON).ID, "-o", "table")
	// The table run printed no JSON: find its task by retry_of among the succeeded ones.
	waitedTable := tm.run(ctx, "tasks", "wait", retriedIDFromTable(t, retried), "-o", "json")
	deleted := tm.run(ctx, "tasks", "delete", later, "-o", "table")
	deletedJSON := tm.run(ctx, "tasks", "delete", other, "-o", "json")
	gone := tm.run(ctx, "tasks", "delete", later)
	notFinal := tm.run(ctx, "tasks", "delete", pending)
	malformed := tm.run(ctx, "tasks", "delete", "nope")
	stats := tm.run(ctx, "stats", "-o", "table")
	statsJSON := tm.run(ctx, "stats", "-o", "json")
	golden(t, retried, retriedJSON, notRetryable, waited, waitedTable, deleted, deletedJSON, gone, notFinal, malformed, stats, statsJSON)
}

// retriedIDFromTable reads the id row of a task table.
func retriedIDFromTable(t *testing.T, r result) string {
	t.Helper()
	require.Equal(t, 0, r.code, r.stderr)
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "id" {
			return f[1]
		}
	}
	t.Fatalf("no id row in %q", r.stdout)
	return ""
}

// `tasks wait --timeout` on a task that stays scheduled gives up naming its status.
func TestStackWaitTimeout(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	id := taskOf(t, tm.run(t.Context(), "submit", "echo", "--delay", "3600", "-o", "json")).ID
	r := tm.run(t.Context(), "tasks", "wait", id, "--timeout", "1")
	require.Equal(t, 1, r.code)
	golden(t, r)
}

// cutProxy passes requests to the stack; it cuts the first event stream once cutAfter
// events have gone through, at the next write, so the CLI must resume it.
type cutProxy struct {
	proxy     *httputil.ReverseProxy
	cutAfter  int
	streams   atomic.Int32
	connected chan struct{} // a stream's first bytes arrived: the server has subscribed
	mu        sync.Mutex
	lastIDs   []string // the Last-Event-ID of each stream
}

func newCutProxy(t *testing.T, target string, cutAfter int) (*cutProxy, string) {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	p := &cutProxy{proxy: httputil.NewSingleHostReverseProxy(u), cutAfter: cutAfter, connected: make(chan struct{}, 4)}
	p.proxy.FlushInterval = -1 // pass every event on as it comes
	p.proxy.ErrorLog = nil
	srv := httptestServer(t, p)
	return p, srv
}

func (p *cutProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/events" {
		p.proxy.ServeHTTP(w, r)
		return
	}
	n := p.streams.Add(1)
	p.mu.Lock()
	p.lastIDs = append(p.lastIDs, r.Header.Get("Last-Event-ID"))
	p.mu.Unlock()
	cw := &cuttingWriter{ResponseWriter: w, connected: p.connected}
	if n == 1 {
		cw.cutAfter = p.cutAfter
	}
	p.proxy.ServeHTTP(cw, r)
}

var errCut = errors.New("stream cut by the test proxy")

// cuttingWriter counts the events written (each ends "}\n\n": its JSON data and the
// blank line) and cuts the stream right after cutAfter of them (0: never): a write that
// carries the cutAfter-th event and more (the server may flush several at once) passes
// on only up to that event's end, then fails.
type cuttingWriter struct {
	http.ResponseWriter
	connected chan struct{}
	cutAfter  int
	seen      strings.Builder
	signalled bool
}

func (c *cuttingWriter) Write(b []byte) (int, error) {
	if !c.signalled {
		c.signalled = true
		c.connected <- struct{}{}
	}
	if c.cutAfter == 0 {
		return c.ResponseWriter.Write(b)
	}
	left := c.cutAfter - strings.Count(c.seen.String(), "}\n\n")
	if left <= 0 {
		return 0, errCut
	}
	end := 0
	for ; left > 0; left-- {
		i := bytes.Index(b[end:], []byte("}\n\n"))
		if i < 0 {
			break
		}
		end += i + len("}\n\n")
	}
	if left > 0 || end == len(b) { // the cut is not inside this write
		c.seen.Write(b)
		return c.ResponseWriter.Write(b)
	}
	c.seen.Write(b[:end])
	if n, err := c.ResponseWriter.Write(b[:end]); err != nil {
		return n, err
	}
	return end, errCut
}

func (c *cuttingWriter) Flush() { c.ResponseWriter.(http.Flusher).Flush() }

// watch against the real stack: one line per change of the echo tasks submitted while it
// runs, in both formats; the first stream is cut after two events and resumed with
// Last-Event-ID, losing and repeating nothing.
func TestStackWatch(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	var runs []result
	for _, format := range []string{"table", "json"} {
		p, proxyURL := newCutProxy(t, tm.server, 2)
		ctx, cancel := context.WithCancel(t.Context())
		out, errOut := &syncBuffer{}, &syncBuffer{}
		args := []string{"watch", "--type", "echo", "-o", format}
		done := make(chan int, 1)
		go func() {
			done <- Run(ctx, args, Env{Stdout: out, Stderr: errOut, Getenv: func(k string) string {
				return map[string]string{"TASKRUNNER_URL": proxyURL}[k]
			}})
		}()
		<-p.connected
		for _, msg := range []string{"msg=first", "msg=second"} {
			r := tm.run(t.Context(), "submit", "echo", "-p", msg, "--wait", "-o", "json")
			require.Equal(t, 0, r.code, r.stderr)
			// A sleep submitted meanwhile is not an echo: the filter leaves it out.
			s := tm.run(t.Context(), "submit", "sleep", "-p", "seconds=0", "-o", "json")
			require.Equal(t, 0, s.code, s.stderr)
		}
		// Each echo is queued, running, succeeded: six lines.
		require.Eventually(t, func() bool { return strings.Count(out.String(), "\n") >= 6 }, 30*time.Second, 10*time.Millisecond)
		cancel() // Ctrl-C
		require.Equal(t, exitStopped, <-done)
		require.Equal(t, 6, strings.Count(out.String(), "\n"), out.String())
		p.mu.Lock()
		require.Len(t, p.lastIDs, 2, "one cut, one resumption")
		require.Empty(t, p.lastIDs[0])
		require.NotEmpty(t, p.lastIDs[1], "the resumption names the last event seen")
		p.mu.Unlock()
		runs = append(runs, result{args: args, stdout: out.String(), stderr: errOut.String(), code: exitStopped})
	}
	golden(t, runs...)
}

// httptestServer serves h on a local port until the test ends, and returns its URL.
func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// A stack that refuses the stream (auth on, no token) ends watch at once with its error.
func TestStackWatchRefused(t *testing.T) {
	t.Parallel()
	tm := startStack(t, func(c *bootstrap.Config) { c.APITokens = []string{"cli-secret"} })
	golden(t, tm.run(t.Context(), "watch"))
}
