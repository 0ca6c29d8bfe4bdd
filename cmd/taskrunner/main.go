// Command taskrunner runs the task runner: the API, the workers, or both in one process,
// plus operational subcommands (migrate, extract) and the command-line client (submit,
// tasks, watch, ...; package internal/cli).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"taskrunner/bootstrap"
	"taskrunner/cmd/taskrunner/internal/cli"
)

const usage = `usage: taskrunner <command> [flags]

server commands:
  dev [--mode memory|services]      API and workers in one process (default: memory, no services)
  api                               the REST API only (services mode)
  worker [--concurrency N]          workers only (services mode)
  migrate up | down [N|all] | version   database migrations on DATABASE_URL
  extract [--url URL] [--raw]       read HTML on stdin, print its readable text

client commands (talk to a running server at --server / TASKRUNNER_URL):
  submit TYPE [-p key=value ...]    submit a task (--wait to wait for it)
  search QUERY [--source S]         submit a search
  fetch URL [--format markdown]     submit a fetch
  tasks list|get|wait|cancel|retry|delete [ID]
  artifacts get ID [-o FILE]        download an artifact
  stats                             task statistics
  watch                             follow task changes, one line each
  version                           the build's version and commit

'taskrunner <command> --help' lists a command's flags and the environment it reads.
`

// errUsage marks a wrong command line: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch runs one command and returns the exit status: 0 done (and after --help), 1 the
// command failed, 2 the command line is wrong.
func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && cli.IsCommand(args[0]) {
		return cli.Run(ctx, args, cli.Env{
			Stdout: stdout, Stderr: stderr, Getenv: os.Getenv,
			StdoutTTY: isTerminal(stdout), StderrTTY: isTerminal(stderr),
			Version: bootstrap.Version,
		})
	}
	err := run(ctx, args, stdin, stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "taskrunner:", oneLine(err))
		return 2
	default:
		fmt.Fprintln(stderr, "taskrunner:", oneLine(err))
		return 1
	}
}

// oneLine prints an error on one line: a configuration error lists one bad variable per
// line, joined here with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
}

// isTerminal reports whether w is a character device (a terminal), which picks the
// client's table output and progress line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: a command is needed", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		fs := serverFlags("dev", "[--mode memory|services]", "Serves the API and runs the workers in one process: in memory (no services, the\n"+
			"default) or on PostgreSQL, Redis and S3 (services).", stdout)
		mode := fs.String("mode", "", "memory or services (default: TASKRUNNER_MODE, else memory)")
		if err := parseServerFlags(fs, rest); err != nil {
			return err
		}
		return serve(ctx, bootstrap.RoleAll, *mode, 0)
	case "api":
		fs := serverFlags("api", "", "Serves the REST API only, in services mode; `taskrunner worker` runs the tasks.", stdout)
		if err := parseServerFlags(fs, rest); err != nil {
			return err
		}
		return serve(ctx, bootstrap.RoleAPI, string(bootstrap.ModeServices), 0)
	case "worker":
		fs := serverFlags("worker", "[--concurrency N]", "Runs the workers only, in services mode; `taskrunner api` serves the API.", stdout)
		conc := fs.Int("concurrency", 0, "tasks run at once by this process (default: WORKER_CONCURRENCY)")
		if err := parseServerFlags(fs, rest); err != nil {
			return err
		}
		return serve(ctx, bootstrap.RoleWorker, string(bootstrap.ModeServices), *conc)
	case "migrate":
		return migrate(ctx, rest, stdout)
	case "extract":
		err := runExtract(ctx, rest, stdin, stdout, stderr)
		if err != nil && !errors.Is(err, flag.ErrHelp) && isFlagError(err) {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		return err
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

// isFlagError tells a flag package parse error ("flag provided but not defined") from a
// failure of the command itself.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "flag provided but not defined") || strings.HasPrefix(s, "invalid value") ||
		strings.HasPrefix(s, "flag needs an argument") || strings.HasPrefix(s, "extract takes no arguments")
}

// serverFlags is the flag set of a server command, whose --help prints the synopsis,
// what it does, its flags and every environment variable it reads, to stdout.
func serverFlags(name, synopsis, about string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: taskrunner %s %s\n\n%s\n\nflags:\n", name, synopsis, about)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		fmt.Fprintf(stdout, "  -help\n    \tprint this help and do nothing else\n\n%s", settingsHelp())
	}
	return fs
}

// parseServerFlags parses a server command's flags; positional arguments are a usage error.
func parseServerFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err // Parse has printed the usage
		}
		return fmt.Errorf("%w: %s: %w (see taskrunner %s --help)", errUsage, fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s takes no arguments, got %q (see taskrunner %s --help)", errUsage, fs.Name(), fs.Args(), fs.Name())
	}
	return nil
}

// settingsHelp lists the environment variables the server reads, as Load reads them.
func settingsHelp() string {
	var b strings.Builder
	b.WriteString("environment (README.md, \"Configuration\", says what each means):\n")
	line := " "
	for _, n := range bootstrap.SettingNames() {
		if len(line)+1+len(n) > 90 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += " " + n
	}
	b.WriteString(line + "\n")
	return b.String()
}
