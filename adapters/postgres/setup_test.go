package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// testMaxConns keeps each test's pool small: tests run in parallel against one server whose
// max_connections other packages' tests share.
const testMaxConns = 4

// TestMain runs the tests through the harness, which drops the database the tests'
// schemas share when they are done.
func TestMain(m *testing.M) { harness.Main(m) }

// setup returns a DB over a fresh migrated schema of the test's own (its URL sets
// search_path), closed when the test ends. Schemas, not databases: the contract suites
// alone run dozens of subtests, and a schema is far cheaper to make than a database.
func setup(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	return open(t, harness.PostgresSchema(t))
}

// setupDatabase is setup on a fresh migrated database of the test's own, for tests that
// act on every session of their database.
func setupDatabase(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	return open(t, harness.Postgres(t))
}

func open(t *testing.T, url string) (*postgres.DB, string) {
	t.Helper()
	db, err := postgres.New(context.Background(), postgres.Config{URL: url, MaxConns: testMaxConns})
	require.NoError(t, err)
	t.Cleanup(db.Close)
	return db, url
}

// testIDs makes ids for a given time, where a test orders rows by their ids' times.
var testIDs domain.IDGenerator

// storedTask returns a task store over a fresh schema holding one new queued task, and
// the schema's URL.
func storedTask(t *testing.T) (*postgres.TaskStore, domain.Task, string) {
	t.Helper()
	db, url := setup(t)
	s := postgres.NewTaskStore(db)
	task := contract.NewTask()
	_, _, err := s.Create(context.Background(), task)
	require.NoError(t, err)
	return s, task, url
}

// connect opens another session on url, as another process would, closed when the test
// ends.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}
