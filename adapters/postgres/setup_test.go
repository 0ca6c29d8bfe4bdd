package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

// testMaxConns keeps each test's pool small: tests run in parallel against one server whose
// max_connections other packages' tests share.
const testMaxConns = 4

// setup returns a DB over a fresh migrated database, closed when the test ends.
func setup(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	url := harness.Postgres(t)
	db, err := postgres.New(context.Background(), postgres.Config{URL: url, MaxConns: testMaxConns})
	require.NoError(t, err)
	t.Cleanup(db.Close)
	return db, url
}

// testIDs makes ids for a given time, where a test orders rows by their ids' times.
var testIDs domain.IDGenerator
