package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// What each submitting command sends, field for field: only the options given, -p values
// as JSON when they are JSON, --format passed through as formats.
func TestRequestBodies(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		mu.Unlock()
		writeJSON(w, http.StatusAccepted, fakeTask(failedID, "queued", nil))
	}))
	t.Cleanup(srv.Close)
	tm := term{server: srv.URL}
	for _, args := range [][]string{
		{"submit", "echo", "-p", "msg=hello world", "-p", "n=2", "-p", "ok=true", "-p", `list=[1,"a"]`, "-p", "quoted=\"7\""},
		{"submit", "sleep", "--params", `{"seconds":1,"x":"y"}`, "-p", "x=z", "--timeout", "30", "--retries", "2", "--priority", "1", "--delay", "5"},
		{"search", "task queues", "--source", "demo,brave", "--source", "exa", "--recency-days", "3", "--max-results", "4"},
		{"fetch", "https://example.com/a", "--format", "markdown", "--format", "links,text", "--raw"},
		{"fetch", "https://example.com/b"},
		{"tasks", "list", "--status", "failed,cancelled", "--type", "echo", "--limit", "3", "--cursor", "abc"},
		{"tasks", "cancel", "a/b"},
	} {
		r := tm.run(t.Context(), args...)
		require.Equal(t, 0, r.code, "%s: %s", args, r.stderr)
	}
	require.Equal(t, []string{
		`POST /tasks {"params":{"list":[1,"a"],"msg":"hello world","n":2,"ok":true,"quoted":"7"},"type":"echo"}`,
		`POST /tasks {"delay_seconds":5,"max_retries":2,"params":{"seconds":1,"x":"z"},"priority":1,"timeout_seconds":30,"type":"sleep"}`,
		`POST /search {"max_results":4,"query":"task queues","recency_days":3,"sources":["demo","brave","exa"]}`,
		`POST /fetch {"formats":["markdown","links","text"],"reader_mode":false,"url":"https://example.com/a"}`,
		`POST /fetch {"url":"https://example.com/b"}`,
		`GET /tasks?cursor=abc&limit=3&status=failed%2Ccancelled&type=echo `,
		`POST /tasks/a%2Fb/cancel `,
	}, got)
}

// Table on a terminal, the API's JSON otherwise, unless -o says.
func TestOutputFormatFollowsTheTerminal(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, fakeTask(failedID, "running", nil))
	}))
	t.Cleanup(srv.Close)
	run := func(tty bool, args ...string) string {
		var out bytes.Buffer
		code := Run(t.Context(), args, Env{Stdout: &out, Stderr: io.Discard, StdoutTTY: tty,
			Getenv:    func(k string) string { return map[string]string{"TASKRUNNER_URL": srv.URL}[k] },
			BuildInfo: func() (*debug.BuildInfo, bool) { return nil, false }})
		require.Equal(t, 0, code)
		return out.String()
	}
	require.Contains(t, run(true, "tasks", "get", failedID), "status           running\n")
	require.True(t, json.Valid([]byte(run(false, "tasks", "get", failedID))))
	require.True(t, json.Valid([]byte(run(true, "tasks", "get", failedID, "-o", "json"))))
	require.Contains(t, run(false, "tasks", "get", failedID, "--output", "table"), "status           running\n")
}
