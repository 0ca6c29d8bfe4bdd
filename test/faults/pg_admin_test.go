package faults

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// dbAdmin breaks the test's database from an admin connection to another database.
type dbAdmin struct {
	conn         *pgx.Conn
	db           string
	terminated   atomic.Int64
	outageLasted time.Duration
}

func newDBAdmin(t *testing.T, dbURL string) *dbAdmin {
	t.Helper()
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	db := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u.String())
	require.NoError(t, err)
	a := &dbAdmin{conn: conn, db: db}
	t.Cleanup(func() {
		// Cleanups run last-in first-out: this one before the apps stop and before the
		// harness drops the database, so neither meets a database refusing connections.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.allowConnections(ctx, true)
		_ = conn.Close(ctx)
	})
	return a
}

// run terminates every backend of the database every 20 ms while more(phaseStorm) holds
// (for at most stormLimit). With outage, it then refuses connections too while
// more(phaseOutage) holds (at least 300 ms, at most 10 s), allows them again and storms
// on while more(phaseAfter) holds (at most stormLimit). It moves phase along for the
// clients. Each phase and each admin statement has its own time limit, so a slow machine
// (where a storm phase reaches its count late) still runs every phase. Errors fail the test.
func (a *dbAdmin) run(t *testing.T, more func(int32) bool, outage bool, phase *atomic.Int32) {
	// The phase's limit is checked between statements, never handed to one: pgx closes a
	// connection whose query's context ends, and the admin connection must outlive the
	// phase.
	storm := func(p int32, atLeast, atMost time.Duration) time.Duration {
		start := time.Now()
		for (more(p) || time.Since(start) < atLeast) && time.Since(start) < atMost {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := a.terminate(ctx)
			cancel()
			if err != nil {
				t.Errorf("terminate backends: %v", err)
				break
			}
			_ = sleepFor(context.Background(), 20*time.Millisecond)
		}
		return time.Since(start)
	}
	allow := func(yes bool) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return a.allowConnections(ctx, yes)
	}
	storm(phaseStorm, 0, stormLimit)
	if !outage {
		phase.Store(phaseAfter)
		return
	}
	if err := allow(false); err != nil {
		t.Errorf("refuse connections: %v", err)
		return
	}
	phase.Store(phaseOutage)
	lasted := storm(phaseOutage, 300*time.Millisecond, 10*time.Second)
	if err := allow(true); err != nil {
		t.Errorf("allow connections: %v", err)
		return
	}
	a.outageLasted = lasted
	phase.Store(phaseAfter)
	storm(phaseAfter, 0, stormLimit)
}

// stormLimit bounds a storm phase: on a slow machine, where a new connection takes a good
// part of the 20 ms between terminations, the clients reach a phase's count slowly.
const stormLimit = 10 * time.Second

func (a *dbAdmin) terminate(ctx context.Context) error {
	var n int64
	err := a.conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, a.db).Scan(&n)
	a.terminated.Add(n)
	return err
}

func (a *dbAdmin) allowConnections(ctx context.Context, allow bool) error {
	_, err := a.conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s WITH ALLOW_CONNECTIONS %t", pgx.Identifier{a.db}.Sanitize(), allow))
	return err
}
