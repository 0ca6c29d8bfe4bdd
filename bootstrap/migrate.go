package bootstrap

import (
	"context"
	"fmt"
	"io"

	"taskrunner/adapters/postgres"
)

// MigrateUp applies every migration to DATABASE_URL.
func MigrateUp(ctx context.Context, c Config, out io.Writer) error {
	if err := postgres.MigrateUp(ctx, c.DatabaseURL); err != nil {
		return err
	}
	return MigrateVersion(ctx, c, out)
}

// MigrateDown rolls back steps migrations (0: all of them).
func MigrateDown(ctx context.Context, c Config, steps int, out io.Writer) error {
	if err := postgres.MigrateDown(ctx, c.DatabaseURL, steps); err != nil {
		return err
	}
	return MigrateVersion(ctx, c, out)
}

// MigrateVersion prints the schema version, and whether a failed migration left it dirty.
func MigrateVersion(ctx context.Context, c Config, out io.Writer) error {
	v, dirty, err := postgres.MigrateVersion(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	want, err := postgres.RequiredVersion()
	if err != nil {
		return err
	}
	line := fmt.Sprintf("schema version %d (this build needs %d)", v, want)
	if dirty {
		line += ", DIRTY: a migration failed half-way; repair the schema by hand before migrating again"
	}
	_, err = fmt.Fprintln(out, line)
	return err
}
