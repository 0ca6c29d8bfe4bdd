// Package cli is taskrunner's command-line client: submit, search, fetch, tasks,
// artifacts, stats, watch and version, spoken over the REST API of a running server
// (API.md) and nothing else, so it works against any deployment the same way and can be
// tested against a running stack. It shares the binary with the server commands but none
// of their code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// Env is what one run of the CLI reads from its process; tests supply their own.
type Env struct {
	Stdout, Stderr io.Writer
	// Getenv reads TASKRUNNER_URL and TASKRUNNER_TOKEN.
	Getenv func(string) string
	// StdoutTTY picks the default output format (table on a terminal, JSON otherwise);
	// StderrTTY turns on the progress line of --wait.
	StdoutTTY, StderrTTY bool
	// Version is the build's version (bootstrap.Version).
	Version string
	// BuildInfo is runtime/debug.ReadBuildInfo, replaceable for tests.
	BuildInfo func() (*debug.BuildInfo, bool)
}

// Exit codes: the API refused or a waited-for task failed (1), the command line is wrong (2).
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitStopped = 130 // interrupted (Ctrl-C), as a shell reports SIGINT
)

// commands maps each client command to its implementation.
var commands = map[string]func(r *runner, args []string) error{
	"submit":    runSubmit,
	"search":    runSearch,
	"fetch":     runFetch,
	"tasks":     runTasks,
	"artifacts": runArtifacts,
	"stats":     runStats,
	"watch":     runWatch,
	"version":   runVersion,
}

// IsCommand reports whether name is a client command that Run serves.
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok
}

// Run runs the client command args[0] with its arguments and returns the exit status.
// Output goes to env.Stdout; errors, one line each, to env.Stderr.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.BuildInfo == nil {
		env.BuildInfo = debug.ReadBuildInfo
	}
	if len(args) == 0 || !IsCommand(args[0]) {
		fmt.Fprintln(env.Stderr, "taskrunner: not a client command")
		return exitUsage
	}
	r := &runner{ctx: ctx, env: env}
	err := commands[args[0]](r, args[1:])
	return r.exitCode(err)
}

// exitCode prints err as the one line a user sees and maps it to an exit status.
func (r *runner) exitCode(err error) int {
	var usage *usageError
	var api *apiError
	var failed *taskFailedError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(r.env.Stderr, "taskrunner %s: %s\nrun 'taskrunner %s --help' for its flags\n", usage.cmd, usage.msg, usage.cmd)
		return exitUsage
	case errors.Is(err, context.Canceled) && r.ctx.Err() != nil:
		return exitStopped
	case errors.As(err, &api):
		fmt.Fprintf(r.env.Stderr, "error: %s: %s\n", api.Code, api.Message)
		return exitFailed
	case errors.As(err, &failed):
		fmt.Fprintf(r.env.Stderr, "error: %s: %s\n", failed.code, failed.message)
		return exitFailed
	default:
		fmt.Fprintf(r.env.Stderr, "error: %s\n", oneLine(err.Error()))
		return exitFailed
	}
}

// usageError is a wrong command line: exit status 2, with a pointer to --help.
type usageError struct{ cmd, msg string }

func (e *usageError) Error() string { return e.cmd + ": " + e.msg }

// errHelpShown ends a run whose --help was printed: exit status 0, nothing else done.
var errHelpShown = errors.New("help shown")

// taskFailedError is a waited-for task that ended failed or cancelled.
type taskFailedError struct{ code, message string }

func (e *taskFailedError) Error() string { return e.code + ": " + e.message }
