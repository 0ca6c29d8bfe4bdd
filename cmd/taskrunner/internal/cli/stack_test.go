package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
)

// startStack runs `taskrunner dev` in memory mode in-process, as test/e2e does, and
// returns a terminal pointed at it; adjust may change the config first.
func startStack(t *testing.T, adjust func(*bootstrap.Config)) term {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeMemory)
	c.LogLevel = "warn"
	if adjust != nil {
		adjust(&c)
	}
	cl := apptest.StartAPI(t, c, bootstrap.RoleAll, io.Discard)
	return term{server: cl.URL}
}

// taskOf decodes the task a JSON run printed.
func taskOf(t *testing.T, r result) (task struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Result struct {
		ArtifactIDs []string `json:"artifact_ids"`
	} `json:"result"`
}) {
	t.Helper()
	require.Equal(t, 0, r.code, "%s: %s", r.args, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &task), r.stdout)
	return task
}

func TestStackSubmitAndTasks(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	ctx := t.Context()
	waited := tm.run(ctx, "submit", "echo", "-p", "msg=hello", "-p", "n=2", "-p", `tags=["a","b"]`, "--wait", "-o", "table")
	asJSON := tm.run(ctx, "submit", "echo", "--params", `{"msg":"json","keep":1}`, "-p", "keep=true", "--wait", "-o", "json")
	later := tm.run(ctx, "submit", "echo", "-p", "msg=later", "--delay", "3600", "--priority", "1", "-o", "json")
	id := taskOf(t, later).ID
	got := tm.run(ctx, "tasks", "get", id, "-o", "table")
	cancelled := tm.run(ctx, "tasks", "cancel", id, "-o", "table")
	again := tm.run(ctx, "tasks", "cancel", id)
	listed := tm.run(ctx, "tasks", "list", "--type", "echo", "--limit", "2", "-o", "table")
	listedJSON := tm.run(ctx, "tasks", "list", "--status", "cancelled", "-o", "json")
	waitedDone := tm.run(ctx, "tasks", "wait", taskOf(t, asJSON).ID, "-o", "table")
	missing := tm.run(ctx, "tasks", "get", "00000000-0000-7000-8000-000000000000")
	golden(t, waited, asJSON, later, got, cancelled, again, listed, listedJSON, waitedDone, missing)
}

// A task that fails: --wait prints it and exits 1 with the task's error on one line.
func TestStackWaitForAFailingTask(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	failed := tm.run(t.Context(), "submit", "sleep", "-p", "seconds=30", "--timeout", "1", "--wait", "-o", "table")
	require.Equal(t, 1, failed.code)
	golden(t, failed)
}

func TestStackSearch(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	ctx := t.Context()
	table := tm.run(ctx, "search", "open source task runner", "--source", "demo", "--wait", "-o", "table")
	cached := tm.run(ctx, "search", "open source task runner", "--source", "demo", "--max-results", "3", "--wait", "-o", "json")
	refused := tm.run(ctx, "search", "x", "--source", "nosuchsource")
	golden(t, table, cached, refused)
}

const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Quiet Queue</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>The Quiet Queue</h1>
<p>Workers that block on the queue instead of polling it answer new work within milliseconds and cost nothing while idle.</p>
<p>Leases with heartbeats let a second worker finish what a crashed one started, without running a finished task twice.</p>
</article><footer>Copyright 2026</footer></body></html>`

func TestStackFetchAndArtifacts(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	ctx := t.Context()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, article)
	}))
	t.Cleanup(page.Close)

	fetched := tm.run(ctx, "fetch", page.URL+"/post", "--wait", "-o", "json")
	fetchedTable := tm.run(ctx, "fetch", page.URL+"/post", "--wait", "-o", "table")
	text := taskOf(t, fetched).Result.ArtifactIDs[0]
	toStdout := tm.run(ctx, "artifacts", "get", text)
	file := filepath.Join(t.TempDir(), "article.txt")
	toFile := tm.run(ctx, "artifacts", "get", text, "-o", file)
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, toStdout.stdout, string(b))
	missing := tm.run(ctx, "artifacts", "get", "00000000-0000-7000-8000-000000000000", "-o", file)
	after, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Equal(t, b, after, "a failed download leaves the file as it was")
	golden(t, fetched, fetchedTable, toStdout, toFile, missing)
}

func TestStackToken(t *testing.T) {
	t.Parallel()
	tm := startStack(t, func(c *bootstrap.Config) { c.APITokens = []string{"cli-secret"} })
	ctx := t.Context()
	without := tm.run(ctx, "tasks", "list", "-o", "json")
	withFlag := tm.run(ctx, "tasks", "list", "--token", "cli-secret", "-o", "json")
	tm.env = map[string]string{"TASKRUNNER_TOKEN": "cli-secret"}
	withEnv := tm.run(ctx, "tasks", "list", "-o", "json")
	golden(t, without, withFlag, withEnv)
}

// --server wins over TASKRUNNER_URL; a server that does not answer is one error line.
func TestStackServerFlag(t *testing.T) {
	t.Parallel()
	tm := startStack(t, nil)
	ctx := t.Context()
	wrong := term{server: "http://127.0.0.1:1"}
	viaFlag := wrong.run(ctx, "tasks", "list", "--server", tm.server, "-o", "json")
	require.Equal(t, 0, viaFlag.code, viaFlag.stderr)
	down := wrong.run(ctx, "tasks", "list")
	golden(t, down)
}
