package cli

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// names lists the keys of a command table, sorted.
func names[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// noServer is a server that fails the test on any request: --help and usage errors must
// not reach the API.
func noServer(t *testing.T) term {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		t.Errorf("--help or a usage error sent %s %s", r.Method, r.URL)
	}))
	t.Cleanup(srv.Close)
	return term{server: srv.URL}
}

// Every client command's --help prints its flags and environment to stdout, exits 0 and
// does nothing else.
func TestHelpOfEveryCommand(t *testing.T) {
	t.Parallel()
	tm := noServer(t)
	var runs []result
	commandLines := [][]string{{"tasks", "--help"}, {"artifacts", "--help"}, {"artifacts", "get", "--help"}}
	for _, name := range names(commands) {
		if name != "tasks" && name != "artifacts" {
			commandLines = append(commandLines, []string{name, "--help"})
		}
	}
	for _, sub := range names(tasksCommands) {
		commandLines = append(commandLines, []string{"tasks", sub, "-h"})
	}
	for _, args := range commandLines {
		r := tm.run(t.Context(), args...)
		require.Equal(t, 0, r.code, "%s: %s", args, r.stderr)
		require.Empty(t, r.stderr, args)
		require.Contains(t, r.stdout, "usage: taskrunner "+args[0], args)
		if args[0] != "version" {
			require.Contains(t, r.stdout, "TASKRUNNER_URL", args)
		}
		runs = append(runs, r)
	}
	golden(t, runs...)
}

// Wrong command lines exit 2 with one line saying what is wrong and where help is.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tm := noServer(t)
	var runs []result
	for _, args := range [][]string{
		{"submit"},
		{"submit", "echo", "extra"},
		{"submit", "echo", "-p", "novalue"},
		{"submit", "echo", "--params", "[1,2]"},
		{"submit", "echo", "--retries", "many"},
		{"submit", "echo", "-o", "yaml"},
		{"search", ""},
		{"tasks"},
		{"tasks", "bogus"},
		{"tasks", "get"},
		{"tasks", "wait", "x", "--timeout", "0"},
		{"artifacts", "list"},
		{"watch", "--nope"},
	} {
		r := tm.run(t.Context(), args...)
		require.Equal(t, 2, r.code, "%s: %s", args, r.stderr)
		require.Empty(t, r.stdout)
		require.True(t, strings.HasPrefix(r.stderr, "taskrunner "), r.stderr)
		runs = append(runs, r)
	}
	golden(t, runs...)
}

func TestVersion(t *testing.T) {
	t.Parallel()
	tm := noServer(t)
	golden(t, tm.run(t.Context(), "version", "-o", "table"), tm.run(t.Context(), "version", "-o", "json"))
}
