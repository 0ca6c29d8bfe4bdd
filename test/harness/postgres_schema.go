package harness

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	pgadapter "taskrunner/adapters/postgres"
)

// pgShared is the database the schemas of PostgresSchema live in: one per test process,
// created by the first test that asks and dropped by Main when the package's tests end.
// Creating a database costs the server a copy of its template and, under load, most of a
// second; a schema costs a catalog row, so a suite of many small tests stays fast.
var pgShared struct {
	inMain atomic.Bool // Main is running the tests, so the database will be dropped
	once   sync.Once
	url    string // "" until created
	err    error
}

// Main runs a package's tests and then drops the database PostgresSchema shares between
// them, and exits with the tests' status. A package whose tests call PostgresSchema calls
// it from TestMain:
//
//	func TestMain(m *testing.M) { harness.Main(m) }
func Main(m *testing.M) {
	pgShared.inMain.Store(true)
	code := m.Run()
	if pgShared.url != "" {
		pgDropShared(pgShared.url)
	}
	os.Exit(code)
}

// PostgresSchema returns the URL of a schema of the test's own, migrated to this build's
// schema, in a database the tests of this process share; the schema is dropped when the
// test ends. The URL sets search_path, so the adapter, golang-migrate and any connection a
// test opens with it see only the test's tables: tests using it can run in parallel as
// with Postgres. Tests that act on the whole database (terminate its backends, refuse its
// connections, migrate it down) need Postgres's database of their own instead. The
// package must run its tests through Main.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	adminURL := postgresServer(t)
	if !pgShared.inMain.Load() {
		t.Fatal("harness: PostgresSchema needs the package's TestMain to call harness.Main, which drops the shared database")
	}
	pgShared.once.Do(func() { pgShared.url, pgShared.err = pgCreateShared(adminURL) })
	if pgShared.err != nil {
		t.Fatalf("harness: create the shared test database: %v", pgShared.err)
	}

	schema := "test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	if err := pgAdminExec(ctx, pgShared.url, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("harness: create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
		defer cancel()
		if err := pgAdminExec(ctx, pgShared.url, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("harness: drop test schema %s: %v", schema, err)
		}
	})

	u, err := url.Parse(pgShared.url)
	if err != nil {
		t.Fatalf("harness: %s is not a URL", pgEnvURL)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx sends unknown URL parameters as run-time settings
	u.RawQuery = q.Encode()
	ctx, cancel = context.WithTimeout(context.Background(), pgSetupTimeout)
	defer cancel()
	if err := pgadapter.MigrateUp(ctx, u.String()); err != nil {
		t.Fatalf("harness: migrate test schema up: %v", err)
	}
	return u.String()
}

// pgCreateShared creates the shared database, named like Postgres's databases so that the
// stale sweep drops it if the process dies before Main can.
func pgCreateShared(adminURL string) (string, error) {
	name := pgDBPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_shared_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	if err := pgAdminExec(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// pgDropShared drops the shared database; a failure leaves it to the stale sweep.
func pgDropShared(sharedURL string) {
	u, err := url.Parse(sharedURL)
	if err != nil {
		return
	}
	name := u.Path[1:]
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	_ = pgAdminExec(ctx, pgServer.adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}
