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

// run terminates every backend of the database every 20 ms while more(phaseStorm) holds.
// With outage, it then refuses connections too while more(phaseOutage) holds (at least
// 300 ms, at most 10 s), allows them again and storms on while more(phaseAfter) holds.
// It moves phase along for the clients. Errors fail the test.
func (a *dbAdmin) run(t *testing.T, more func(int32) bool, outage bool, phase *atomic.Int32) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	storm := func(ctx context.Context, p int32, atLeast time.Duration) time.Duration {
		start := time.Now()
		for (more(p) || time.Since(start) < atLeast) && ctx.Err() == nil {
			if err := a.terminate(ctx); err != nil {
				if ctx.Err() == nil {
					t.Errorf("terminate backends: %v", err)
				}
				break
			}
			_ = sleepFor(ctx, 20*time.Millisecond)
		}
		return time.Since(start)
	}
	storm(ctx, phaseStorm, 0)
	if !outage {
		phase.Store(phaseAfter)
		return
	}
	if err := a.allowConnections(ctx, false); err != nil {
		t.Errorf("refuse connections: %v", err)
		return
	}
	phase.Store(phaseOutage)
	outageCtx, stop := context.WithTimeout(ctx, 10*time.Second)
	lasted := storm(outageCtx, phaseOutage, 300*time.Millisecond)
	stop()
	if err := a.allowConnections(ctx, true); err != nil {
		t.Errorf("allow connections: %v", err)
		return
	}
	a.outageLasted = lasted
	phase.Store(phaseAfter)
	storm(ctx, phaseAfter, 0)
}

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
