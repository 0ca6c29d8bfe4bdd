package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"taskrunner/bootstrap"
)

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
		return fmt.Errorf("%w: --mode must be memory or services, got %q", errUsage, mode)
	}
	if role != bootstrap.RoleAll && mode == string(bootstrap.ModeMemory) {
		return errors.New("api and worker are separate processes only in services mode; use `taskrunner dev` for memory mode")
	}
	cfg = cfg.WithMode(bootstrap.Mode(mode))
	bootstrap.TuneGC(os.Getenv)
	if concurrency > 0 {
		cfg.WorkerConcurrency = concurrency
	}
	return bootstrap.Serve(ctx, cfg, role, os.Stderr)
}

const migrateHelp = `usage: taskrunner migrate up | down [N|all] | version

  up         apply every migration this build carries
  down [N]   roll back N migrations (default 1), or all of them
  version    print the schema version, and whether a failed migration left it dirty

environment:
  DATABASE_URL  the PostgreSQL database to migrate
`

func migrate(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: migrate needs up, down [N] or version (see taskrunner migrate --help)", errUsage)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, migrateHelp)
		return flag.ErrHelp
	case "up", "down", "version":
	default:
		return fmt.Errorf("%w: migrate needs up, down [N] or version, got %q (see taskrunner migrate --help)", errUsage, args[0])
	}
	steps := 1
	if args[0] == "down" && len(args) > 1 {
		if args[1] == "all" {
			steps = 0
		} else if n, err := strconv.Atoi(args[1]); err != nil || n < 1 {
			return fmt.Errorf("%w: migrate down takes a positive number of steps or 'all', got %q", errUsage, args[1])
		} else {
			steps = n
		}
	}
	cfg, err := bootstrap.Load(os.Getenv)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		return bootstrap.MigrateUp(ctx, cfg, stdout)
	case "down":
		return bootstrap.MigrateDown(ctx, cfg, steps, stdout)
	default:
		return bootstrap.MigrateVersion(ctx, cfg, stdout)
	}
}
