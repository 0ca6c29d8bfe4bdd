package postgres_test

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/migrations"
	"taskrunner/test/harness"
)

// TestMigrations walks the schema up, down one step at a time to zero (so every down
// migration runs), and up again, checking CheckSchema's verdict at each end.
func TestMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := harness.PostgresUnmigrated(t)
	required, err := postgres.RequiredVersion()
	require.NoError(t, err)
	require.GreaterOrEqual(t, required, uint(3))

	requireSchemaError(t, postgres.CheckSchema(ctx, url), 0, required)

	require.NoError(t, postgres.MigrateUp(ctx, url))
	requireVersion(t, url, required)
	require.NoError(t, postgres.CheckSchema(ctx, url))
	require.ElementsMatch(t, []string{"tasks", "artifacts", "runs", "run_metrics", "run_notes", "schedules", "blob_orphans", "task_counts"}, userTables(t, url))
	require.NoError(t, postgres.MigrateUp(ctx, url), "up when current is a no-op")

	for v := required; v > 0; v = previousVersion(t, v) {
		require.NoError(t, postgres.MigrateDown(ctx, url, 1))
		requireVersion(t, url, previousVersion(t, v))
		requireSchemaError(t, postgres.CheckSchema(ctx, url), previousVersion(t, v), required)
	}
	require.Empty(t, userTables(t, url), "down to zero leaves no tables behind")
	require.NoError(t, postgres.MigrateDown(ctx, url, 1), "down at zero is a no-op")

	require.NoError(t, postgres.MigrateUp(ctx, url))
	requireVersion(t, url, required)
	require.NoError(t, postgres.CheckSchema(ctx, url))

	require.NoError(t, postgres.MigrateDown(ctx, url, 0), "steps <= 0 goes all the way down")
	requireVersion(t, url, 0)
	require.Empty(t, userTables(t, url))
}

func TestMigrateDownMoreStepsThanApplied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := harness.Postgres(t)
	required, err := postgres.RequiredVersion()
	require.NoError(t, err)

	require.NoError(t, postgres.MigrateDown(ctx, url, int(required)+5))
	requireVersion(t, url, 0)
}

func TestCheckSchemaMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := harness.Postgres(t)
	required, err := postgres.RequiredVersion()
	require.NoError(t, err)

	require.NoError(t, postgres.MigrateDown(ctx, url, 1))
	err = postgres.CheckSchema(ctx, url)
	require.EqualError(t, err, fmt.Sprintf("database schema is at version %d, this build needs %d: "+
		"run `taskrunner migrate up` (or `make init-db`)", previousVersion(t, required), required))

	// A newer schema than the build, and a half-applied migration, are refused too.
	execSQL(t, url, "UPDATE schema_migrations SET version = $1", int64(required)+1)
	err = postgres.CheckSchema(ctx, url)
	requireSchemaError(t, err, required+1, required)
	require.Contains(t, err.Error(), "newer than this build")

	execSQL(t, url, "UPDATE schema_migrations SET version = $1, dirty = true", int64(required))
	err = postgres.CheckSchema(ctx, url)
	var se *postgres.SchemaError
	require.ErrorAs(t, err, &se)
	require.True(t, se.Dirty)
	require.Contains(t, err.Error(), "dirty")
}

func requireSchemaError(t *testing.T, err error, current, required uint) {
	t.Helper()
	var se *postgres.SchemaError
	require.ErrorAs(t, err, &se)
	require.Equal(t, postgres.SchemaError{Current: current, Required: required}, *se)
	if current < required {
		require.Contains(t, err.Error(), "taskrunner migrate up")
	}
}

func requireVersion(t *testing.T, url string, want uint) {
	t.Helper()
	v, dirty, err := postgres.MigrateVersion(context.Background(), url)
	require.NoError(t, err)
	require.False(t, dirty)
	require.Equal(t, want, v)
}

// userTables lists the tables of the public schema other than golang-migrate's own.
func userTables(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`)
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return names
}

func execSQL(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(t, err)
}

// previousVersion is the version of the migration before v (0 before the first). Versions
// need not be consecutive: branches number their migrations apart, and a branch may carry a
// later number before the ones between are merged.
func previousVersion(t *testing.T, v uint) uint {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, ".")
	require.NoError(t, err)
	var prev uint
	for _, e := range entries {
		n, err := strconv.ParseUint(strings.SplitN(e.Name(), "_", 2)[0], 10, 32)
		require.NoError(t, err, e.Name())
		if uint(n) < v && uint(n) > prev {
			prev = uint(n)
		}
	}
	return prev
}
