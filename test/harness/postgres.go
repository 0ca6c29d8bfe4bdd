package harness

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	pgadapter "taskrunner/adapters/postgres"
)

// Environment variables read by Postgres. (Names carry a pg prefix: other files of this
// package define their own, and nothing here may collide with them.)
const (
	// pgEnvURL is an admin URL of a server the tests may create databases on, e.g.
	// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
	pgEnvURL = "TEST_POSTGRES_URL"
)

const (
	// pgDBPrefix marks databases this harness created, so leftovers of killed runs can be
	// recognized (and only those are ever dropped).
	pgDBPrefix = "taskrunner_test_"
	// pgStaleAfter: a test database this old belongs to a run that died without cleaning
	// up; go test's own timeout is far shorter.
	pgStaleAfter   = 2 * time.Hour
	pgImage        = "postgres:16-alpine"
	pgSetupTimeout = 2 * time.Minute
	pgOpTimeout    = 30 * time.Second
)

// pgServer is the server every test of this process creates its databases on, found once.
var pgServer struct {
	once     sync.Once
	adminURL string
	skip     string // why no server is available; "" when adminURL is set
}

// Postgres returns the URL of a fresh database migrated to this build's schema, dropped
// when the test ends. Tests using it can run in parallel: each has its own database.
func Postgres(t testing.TB) string {
	t.Helper()
	dbURL := PostgresUnmigrated(t)
	ctx, cancel := context.WithTimeout(context.Background(), pgSetupTimeout)
	defer cancel()
	if err := pgadapter.MigrateUp(ctx, dbURL); err != nil {
		t.Fatalf("harness: migrate test database up: %v", err)
	}
	return dbURL
}

// PostgresUnmigrated returns the URL of a fresh, empty database (no schema at all), dropped
// when the test ends: for tests of the migrations themselves.
func PostgresUnmigrated(t testing.TB) string {
	t.Helper()
	adminURL := postgresServer(t)
	name := pgDBPrefix + strconv.FormatInt(time.Now().Unix(), 10) + "_" + randomHex(6)

	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	if err := pgAdminExec(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("harness: create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
		defer cancel()
		// FORCE ends connections a test left open (a pool not yet closed, a killed query).
		err := pgAdminExec(ctx, adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		if err != nil {
			t.Errorf("harness: drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("harness: %s is not a URL", pgEnvURL)
	}
	u.Path = "/" + name
	return u.String()
}

// postgresServer returns the admin URL of the test server, or skips (fails under
// TEST_REQUIRE_SERVICES=1) when there is none. Under -short it always skips.
func postgresServer(t testing.TB) string {
	t.Helper()
	skipShort(t, "PostgreSQL")
	pgServer.once.Do(func() {
		pgServer.adminURL, pgServer.skip = findPostgres()
		if pgServer.adminURL != "" {
			pgDropStale(pgServer.adminURL)
		}
	})
	if pgServer.skip != "" {
		skipOrFail(t, "PostgreSQL", pgServer.skip, fmt.Sprintf("To run this test set %s to an admin URL, e.g. "+
			"%s=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable, or start Docker", pgEnvURL, pgEnvURL))
	}
	return pgServer.adminURL
}

// findPostgres takes the server from TEST_POSTGRES_URL, else starts a container. The
// container lives as long as the test process; testcontainers' reaper removes it after.
func findPostgres() (adminURL, skip string) {
	if raw := strings.TrimSpace(os.Getenv(pgEnvURL)); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
			return "", pgEnvURL + " is not a postgres:// URL"
		}
		u.Scheme = "postgres" // postgresql+psycopg2 and friends, as the adapter accepts
		return u.String(), ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgSetupTimeout)
	defer cancel()
	adminURL, err := pgStartContainer(ctx)
	if err != nil {
		return "", fmt.Sprintf("%s is unset and no container could be started (%v)", pgEnvURL, err)
	}
	return adminURL, ""
}

func pgStartContainer(ctx context.Context) (adminURL string, err error) {
	defer func() { // testcontainers panics on some broken Docker setups instead of erring
		if r := recover(); r != nil {
			err = fmt.Errorf("testcontainers: %v", r)
		}
	}()
	if err := dockerReady(ctx); err != nil {
		return "", err
	}
	ctr, err := tcpostgres.Run(ctx, pgImage,
		tcpostgres.WithDatabase("postgres"),
		tcpostgres.WithUsername("postgres"),
		tcpostgres.WithPassword("postgres"),
		tcpostgres.BasicWaitStrategies(),
	)
	if err != nil {
		return "", err
	}
	return ctr.ConnectionString(ctx, "sslmode=disable")
}

// pgDropStale drops databases that earlier runs of this harness created and never dropped
// (a test binary killed mid-run), judged by the creation time in their name.
func pgDropStale(adminURL string) {
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return // the first test will report the server properly
	}
	defer func() { _ = conn.Close(ctx) }()
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", pgDBPrefix)
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	cutoff := time.Now().Add(-pgStaleAfter).Unix()
	for _, name := range names {
		created, _, ok := strings.Cut(strings.TrimPrefix(name, pgDBPrefix), "_")
		if !ok {
			continue
		}
		if ts, err := strconv.ParseInt(created, 10, 64); err == nil && ts < cutoff {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		}
	}
}

func pgAdminExec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	_, err = conn.Exec(ctx, sql)
	return err
}
