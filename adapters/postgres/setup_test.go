package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

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

var testIDs domain.IDGenerator

// newTask is a queued echo task; opts adjust it.
func newTask(opts ...func(*domain.Task)) domain.Task {
	now := time.Now().UTC().Truncate(time.Microsecond)
	t := domain.Task{
		ID:             testIDs.New(now),
		Type:           domain.TaskEcho,
		Status:         domain.StatusQueued,
		Params:         json.RawMessage(`{"message":"hi"}`),
		TimeoutSeconds: 60,
		ClientID:       "test",
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	for _, o := range opts {
		o(&t)
	}
	return t
}
