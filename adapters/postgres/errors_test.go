package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// TestConnectionsTerminated kills the pool's backends (pg_terminate_backend, as an admin or a
// failover would): the call caught mid-transaction fails with domain.ErrUnavailable, and
// the pool reconnects so later calls succeed without anyone restarting anything.
func TestConnectionsTerminated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := setupDatabase(t) // terminateBackends ends every session of the database
	s := postgres.NewTaskStore(db)
	task := contract.NewTask()
	_, _, err := s.Create(ctx, task)
	require.NoError(t, err)

	// Hold a transaction open (fn blocks) while its connection is killed.
	inFn, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := s.Update(ctx, task.ID, func(t *domain.Task) error {
			close(inFn)
			<-release
			return t.Start("d", time.Now().UTC())
		})
		done <- err
	}()
	<-inFn
	require.Positive(t, terminateBackends(t, url))
	close(release)
	err = <-done
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.Equal(t, domain.CodeUnavailable, domain.CodeOf(err))

	// Idle connections were killed too. Every call until the pool has replaced them either
	// succeeds or reports unavailable, never anything else; a success must come soon.
	terminateBackends(t, url)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := s.Update(ctx, task.ID, func(t *domain.Task) error { return t.Start("d", time.Now().UTC()) })
		if err == nil {
			require.Equal(t, domain.StatusRunning, got.Status)
			require.Equal(t, 1, got.Attempts, "the failed transaction left nothing behind")
			break
		}
		require.ErrorIs(t, err, domain.ErrUnavailable)
		require.True(t, time.Now().Before(deadline), "store did not recover: %v", err)
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, db.Ping(ctx))
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Port 1 on loopback: nothing listens, the dial is refused at once.
	db, err := postgres.New(ctx, postgres.Config{URL: "postgres://u:secret@127.0.0.1:1/db?sslmode=disable"})
	require.NoError(t, err, "New does not connect")
	defer db.Close()

	err = db.Ping(ctx)
	require.ErrorIs(t, err, domain.ErrUnavailable)
	_, err = postgres.NewTaskStore(db).Get(ctx, contract.NewTask().ID)
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.NotContains(t, err.Error(), "secret")

	err = postgres.CheckSchema(ctx, "postgres://u:secret@127.0.0.1:1/db?sslmode=disable")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret")
}

// terminateBackends ends every other session on the test's database and returns how many.
func terminateBackends(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
	require.NoError(t, err)
	return n
}
