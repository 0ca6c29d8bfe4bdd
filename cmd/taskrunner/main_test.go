package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func dispatchForTest(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A context that ends soon: a command that started serving instead of printing its
	// help would end with it, and the checks below would fail on its output.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code = dispatch(ctx, args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// Every server command's --help prints its flags and the environment it reads, exits 0
// and does nothing else: no start-up, no database host resolved.
func TestServerCommandsHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		env  []string // variables the help must name
	}{
		{[]string{"dev", "--help"}, []string{"TASKRUNNER_MODE", "HTTP_ADDR", "DATABASE_URL", "API_TOKENS"}},
		{[]string{"api", "--help"}, []string{"DATABASE_URL", "REDIS_URL", "MINIO_ENDPOINT", "API_TOKENS"}},
		{[]string{"api", "-h"}, []string{"DATABASE_URL"}},
		{[]string{"worker", "--help"}, []string{"WORKER_CONCURRENCY", "DATABASE_URL"}},
		{[]string{"migrate", "--help"}, []string{"DATABASE_URL"}},
		{[]string{"migrate", "-h"}, []string{"DATABASE_URL"}},
		{[]string{"extract", "--help"}, []string{"no environment"}},
		{[]string{"--help"}, []string{"TASKRUNNER_URL"}},
	} {
		started := time.Now()
		out, errOut, code := dispatchForTest(t, tc.args...)
		require.Equal(t, 0, code, "%s: %s", tc.args, errOut)
		require.Less(t, time.Since(started), 5*time.Second, "%s did more than print its help", tc.args)
		require.Empty(t, errOut, tc.args)
		require.Contains(t, out, "usage: taskrunner", tc.args)
		for _, name := range tc.env {
			require.Contains(t, out, name, tc.args)
		}
		require.NotContains(t, out, "taskrunner_starting", tc.args)
	}
}

func TestServerCommandsUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{}, {"nope"}, {"api", "stray"}, {"api", "--port", "1"}, {"worker", "--concurrency", "x"},
		{"migrate"}, {"migrate", "sideways"}, {"migrate", "down", "-1"}, {"dev", "--mode", "cloud"},
		{"extract", "stray"},
	} {
		_, errOut, code := dispatchForTest(t, args...)
		require.Equal(t, 2, code, "%s: %s", args, errOut)
		require.NotEmpty(t, errOut, args)
	}
}

// The client commands are served by the same binary.
func TestClientCommandsAreDispatched(t *testing.T) {
	t.Parallel()
	out, errOut, code := dispatchForTest(t, "tasks", "--help")
	require.Equal(t, 0, code, errOut)
	require.Contains(t, out, "usage: taskrunner tasks")
	out, _, code = dispatchForTest(t, "version", "-o", "json")
	require.Equal(t, 0, code)
	require.Contains(t, out, `"version": "dev"`)
}

func TestErrorsPrintOnOneLine(t *testing.T) {
	t.Parallel()
	require.Equal(t, "invalid configuration: A must be set; B must be a number", oneLine(errors.New("invalid configuration: A must be set\nB must be a number\n")))
}
