// Command taskrunner runs the task runner: the API, the workers, or both in one process,
// plus operational subcommands (migrate, extract, version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"taskrunner/bootstrap"
)

const usage = `usage: taskrunner <command> [flags]

commands:
  dev [--mode memory|services]   API and workers in one process (default: memory, no services)
  api                            the REST API only (services mode)
  worker [--concurrency N]       workers only (services mode)
  migrate up | down [N] | version   database migrations on DATABASE_URL
  extract [--url URL] [--raw]    read HTML on stdin, print its readable text
  version                        print the version

Configuration comes from environment variables; see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "taskrunner:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		fs := flag.NewFlagSet("dev", flag.ContinueOnError)
		fs.SetOutput(stderr)
		mode := fs.String("mode", "", "memory or services (default: TASKRUNNER_MODE, else memory)")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return serve(ctx, bootstrap.RoleAll, *mode, 0)
	case "api":
		return serve(ctx, bootstrap.RoleAPI, string(bootstrap.ModeServices), 0)
	case "worker":
		fs := flag.NewFlagSet("worker", flag.ContinueOnError)
		fs.SetOutput(stderr)
		conc := fs.Int("concurrency", 0, "tasks run at once by this process (default: WORKER_CONCURRENCY)")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return serve(ctx, bootstrap.RoleWorker, string(bootstrap.ModeServices), *conc)
	case "migrate":
		return migrate(ctx, rest, stdout)
	case "extract":
		return runExtract(ctx, rest, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, bootstrap.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// serve runs an fx app until ctx ends (SIGINT/SIGTERM), then stops it gracefully.
func serve(ctx context.Context, role bootstrap.Role, mode string, concurrency int) error {
	cfg, err := bootstrap.Load(os.Getenv)
	if err != nil {
		return err
	}
	if mode == "" {
		mode = string(cfg.Mode)
	}
	if mode != string(bootstrap.ModeMemory) && mode != string(bootstrap.ModeServices) {
		return fmt.Errorf("--mode must be memory or services, got %q", mode)
	}
	if role != bootstrap.RoleAll && mode == string(bootstrap.ModeMemory) {
		return errors.New("api and worker are separate processes only in services mode; use `taskrunner dev` for memory mode")
	}
	cfg = cfg.WithMode(bootstrap.Mode(mode))
	if concurrency > 0 {
		cfg.WorkerConcurrency = concurrency
	}
	return bootstrap.Serve(ctx, cfg, role, os.Stderr)
}

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := bootstrap.Load(os.Getenv)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return errors.New("migrate needs up, down [N] or version")
	}
	switch args[0] {
	case "up":
		return bootstrap.MigrateUp(ctx, cfg, stdout)
	case "down":
		steps := 1
		if len(args) > 1 {
			if args[1] == "all" {
				steps = 0
			} else if steps, err = strconv.Atoi(args[1]); err != nil || steps < 1 {
				return fmt.Errorf("migrate down takes a positive number of steps or 'all', got %q", args[1])
			}
		}
		return bootstrap.MigrateDown(ctx, cfg, steps, stdout)
	case "version":
		return bootstrap.MigrateVersion(ctx, cfg, stdout)
	default:
		return fmt.Errorf("migrate needs up, down [N] or version, got %q", args[0])
	}
}
