package harness_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/test/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }

// TestPostgresSchemaIsolates: two tests' schemas share a database yet neither sees the
// other's rows, and each is at the build's schema version.
func TestPostgresSchemaIsolates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := harness.PostgresSchema(t), harness.PostgresSchema(t)
	require.NoError(t, postgres.CheckSchema(ctx, a))
	require.NoError(t, postgres.CheckSchema(ctx, b))

	connA, err := pgx.Connect(ctx, a)
	require.NoError(t, err)
	defer func() { _ = connA.Close(ctx) }()
	connB, err := pgx.Connect(ctx, b)
	require.NoError(t, err)
	defer func() { _ = connB.Close(ctx) }()

	var dbA, dbB string
	require.NoError(t, connA.QueryRow(ctx, "SELECT current_database()").Scan(&dbA))
	require.NoError(t, connB.QueryRow(ctx, "SELECT current_database()").Scan(&dbB))
	require.Equal(t, dbA, dbB, "one database for the process")

	_, err = connA.Exec(ctx, `INSERT INTO tasks (id, type, status, timeout_seconds, created_at, updated_at)
		VALUES (gen_random_uuid(), 'echo', 'queued', 1, now(), now())`)
	require.NoError(t, err)
	var n int
	require.NoError(t, connA.QueryRow(ctx, "SELECT count(*) FROM tasks").Scan(&n))
	require.Equal(t, 1, n)
	require.NoError(t, connB.QueryRow(ctx, "SELECT count(*) FROM tasks").Scan(&n))
	require.Zero(t, n, "b sees none of a's rows")
}
