package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// update rewrites the golden files from the outputs: go test ./cmd/taskrunner/internal/cli -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata from the outputs")

// result is one run of the CLI.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

// term is how a test runs the CLI: against server, with env on top of TASKRUNNER_URL.
type term struct {
	server string
	env    map[string]string
	// stderrTTY turns on the progress line.
	stderrTTY bool
}

func (tm term) run(ctx context.Context, args ...string) result {
	var out, errOut bytes.Buffer
	env := map[string]string{"TASKRUNNER_URL": tm.server}
	for k, v := range tm.env {
		env[k] = v
	}
	code := Run(ctx, args, Env{
		Stdout: &out, Stderr: &errOut,
		Getenv:    func(k string) string { return env[k] },
		StderrTTY: tm.stderrTTY,
		Version:   "v1.2.3-test",
		BuildInfo: func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{GoVersion: "go1.99", Main: debug.Module{Path: "taskrunner", Version: "(devel)"},
				Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
					{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}}, true
		},
	})
	return result{args: args, stdout: out.String(), stderr: errOut.String(), code: code}
}

// Masks that make outputs stable: ids and times differ per run, ports per test server,
// provider latencies, run times and worker hosts per machine. Ids are numbered in order of first appearance, so a
// golden file still shows which id is which (a retry's retry_of, an artifact of a task).
var (
	uuidRE    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	portRE    = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	latencyRE = regexp.MustCompile(`"latency_ms":( ?)\d+`)
	cursorRE  = regexp.MustCompile(`--cursor \S+`)
	tmpRE     = regexp.MustCompile(regexp.QuoteMeta(os.TempDir()) + `/[^/\s]+/\d+`)
	// How far a sleep got before its limit ended it depends on the machine's load.
	sleptRE = regexp.MustCompile(`\d+/(\d+) seconds slept`)
	// Run times (stats' percentiles) and ages depend on the machine too.
	runTimeTableRE = regexp.MustCompile(`(run_time_seconds\.\w+\.p(?:50|95)\s+|oldest_queued_age_seconds\s+)\d[\d.e+-]*`)
	// The worker holding a running task is this machine's host and the test's process.
	workerRE      = regexp.MustCompile(`"worker":\{"host":"[^"]*","pid":\d+\}`)
	runTimeJSONRE = regexp.MustCompile(`("p(?:50|95)": |"oldest_queued_age_seconds": )\d[\d.e+-]*`)
)

func mask(s string, ids map[string]string) string {
	s = uuidRE.ReplaceAllStringFunc(s, func(id string) string {
		if _, ok := ids[id]; !ok {
			ids[id] = fmt.Sprintf("<id-%d>", len(ids)+1)
		}
		return ids[id]
	})
	s = timeRE.ReplaceAllString(s, "<time>")
	s = portRE.ReplaceAllStringFunc(s, func(addr string) string {
		if addr == "127.0.0.1:8000" { // the default server, in help texts
			return addr
		}
		return "127.0.0.1:<port>"
	})
	s = cursorRE.ReplaceAllString(s, "--cursor <cursor>")
	s = tmpRE.ReplaceAllString(s, "<tmpdir>")
	s = sleptRE.ReplaceAllString(s, "<n>/$1 seconds slept")
	s = runTimeTableRE.ReplaceAllString(s, "$1<seconds>")
	s = runTimeJSONRE.ReplaceAllString(s, "$1<seconds>")
	s = workerRE.ReplaceAllString(s, `"worker":{"host":"<host>","pid":<pid>}`)
	return latencyRE.ReplaceAllString(s, `"latency_ms":$1<n>`)
}

// render is a run as its golden file holds it: the command line, stdout, stderr, exit status.
func (r result) render(ids map[string]string) string {
	return mask(fmt.Sprintf("$ taskrunner %s\n--- stdout\n%s--- stderr\n%s--- exit %d\n",
		strings.Join(r.args, " "), r.stdout, r.stderr, r.code), ids)
}

// golden compares runs with testdata/<test name>.golden, or writes it with -update.
func golden(t *testing.T, runs ...result) {
	t.Helper()
	ids := map[string]string{}
	var b strings.Builder
	for i, r := range runs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(r.render(ids))
	}
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "__")+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file: run go test ./cmd/taskrunner/internal/cli -update")
	require.Equal(t, string(want), b.String(), "output differs from %s (go test -update rewrites it)", path)
}
