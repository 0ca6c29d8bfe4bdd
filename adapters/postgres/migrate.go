package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers pgx5://
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"taskrunner/migrations"
)

// migrateConnectTimeout (seconds) keeps a migration command from hanging on a database
// that never answers; golang-migrate's API takes no context for connecting.
const migrateConnectTimeout = "10"

// MigrateUp applies every migration the database lacks. Already current is not an error.
func MigrateUp(ctx context.Context, databaseURL string) error {
	return withMigrate(ctx, databaseURL, func(m *migrate.Migrate) error {
		return ignoreNoChange(m.Up())
	})
}

// MigrateDown undoes the last steps migrations, or all of them when steps <= 0. Asking for
// more steps than are applied stops at zero without an error.
func MigrateDown(ctx context.Context, databaseURL string, steps int) error {
	return withMigrate(ctx, databaseURL, func(m *migrate.Migrate) error {
		if steps <= 0 {
			return ignoreNoChange(m.Down())
		}
		err := m.Steps(-steps)
		var short migrate.ErrShortLimit
		if errors.As(err, &short) || errors.Is(err, os.ErrNotExist) { // ran out of migrations to undo
			return nil
		}
		return ignoreNoChange(err)
	})
}

// MigrateVersion returns the database's schema version (0 when no migration was applied)
// and whether the last migration failed part-way (dirty).
func MigrateVersion(ctx context.Context, databaseURL string) (version uint, dirty bool, err error) {
	err = withMigrate(ctx, databaseURL, func(m *migrate.Migrate) error {
		version, dirty, err = m.Version()
		if errors.Is(err, migrate.ErrNilVersion) {
			version, dirty, err = 0, false, nil
		}
		return err
	})
	return version, dirty, err
}

// RequiredVersion is the schema version this build needs: that of its newest migration.
func RequiredVersion() (uint, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return 0, fmt.Errorf("postgres: read embedded migrations: %w", err)
	}
	defer func() { _ = src.Close() }() // read-only, embedded: closing it loses nothing
	v, err := src.First()
	if err != nil {
		return 0, fmt.Errorf("postgres: embedded migrations: %w", err)
	}
	for {
		next, err := src.Next(v)
		if errors.Is(err, os.ErrNotExist) {
			return v, nil
		}
		if err != nil {
			return 0, fmt.Errorf("postgres: embedded migrations: %w", err)
		}
		v = next
	}
}

// withMigrate runs fn on a migrate instance over the embedded migrations. golang-migrate
// takes no context, so when ctx ends it is asked to stop at the next safe point (between
// migrations) and fn's result is awaited: a migration is never cut in half.
func withMigrate(ctx context.Context, databaseURL string, fn func(*migrate.Migrate) error) error {
	dbURL, err := migrateURL(databaseURL)
	if err != nil {
		return err
	}
	dbURL = withConnectTimeout(dbURL)
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return fmt.Errorf("postgres: read embedded migrations: %w", err)
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, dbURL)
	if err != nil {
		_ = src.Close()
		return fmt.Errorf("postgres: open database for migrations: %w", translate(err))
	}
	// By the time it runs, fn's migrations are committed or reported: a failure to close
	// the source or the connection after them changes neither.
	defer func() { _, _ = m.Close() }()

	done := make(chan error, 1)
	go func() { done <- fn(m) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		m.GracefulStop <- true
		err = <-done
		if err == nil {
			err = ctx.Err()
		}
	}
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", translate(err))
	}
	return nil
}

// withConnectTimeout adds connect_timeout to the URL unless the user chose one.
func withConnectTimeout(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", migrateConnectTimeout)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func ignoreNoChange(err error) error {
	if errors.Is(err, migrate.ErrNoChange) {
		return nil
	}
	return err
}
