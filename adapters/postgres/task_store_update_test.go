package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// Update is a compare-and-swap on the row version (xmin) with a row-locked fallback. These
// tests put another writer between its read and its write, from inside fn, which runs
// after the read.

// TestTaskStoreUpdateRetriesAfterAWriteInBetween: a cancel lands between the read and the
// write. The optimistic write must not overwrite it; fn runs again on the new row.
func TestTaskStoreUpdateRetriesAfterAWriteInBetween(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, _ := storedTask(t)

	var seen []bool // CancelRequested as each call of fn saw it
	got, err := s.Update(ctx, task.ID, func(cur *domain.Task) error {
		if len(seen) == 0 {
			_, err := s.Update(ctx, task.ID, func(c *domain.Task) error { c.CancelRequested = true; return nil })
			require.NoError(t, err)
		}
		seen = append(seen, cur.CancelRequested)
		cur.Attempts++
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []bool{false, true}, seen, "fn runs again on the row as the other writer left it")
	require.True(t, got.CancelRequested, "the other writer's change is kept")
	require.Equal(t, 1, got.Attempts)
}

// TestTaskStoreUpdateSeesWritesFromOutside: a plain SQL UPDATE from another connection
// (no version column to bump) still moves the version on.
func TestTaskStoreUpdateSeesWritesFromOutside(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, url := storedTask(t)
	conn := connect(t, url)

	calls := 0
	got, err := s.Update(ctx, task.ID, func(cur *domain.Task) error {
		calls++
		if calls == 1 {
			_, err := conn.Exec(ctx, "UPDATE tasks SET client_id = 'outside' WHERE id = $1", task.ID)
			require.NoError(t, err)
		}
		return cur.Start("d", cur.CreatedAt)
	})
	require.NoError(t, err)
	require.Equal(t, 2, calls)
	require.Equal(t, "outside", got.ClientID)
	require.Equal(t, domain.StatusRunning, got.Status)
}

// TestTaskStoreUpdateIgnoresALockWithoutWrite: a row lock taken and released without an
// update (another Update whose fn refused) leaves the version alone, so the optimistic
// write still succeeds and fn runs once.
func TestTaskStoreUpdateIgnoresALockWithoutWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, url := storedTask(t)
	conn := connect(t, url)

	calls := 0
	_, err := s.Update(ctx, task.ID, func(cur *domain.Task) error {
		calls++
		tx, err := conn.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE", task.ID)
		require.NoError(t, err)
		require.NoError(t, tx.Commit(ctx))
		return cur.Start("d", cur.CreatedAt)
	})
	require.NoError(t, err)
	require.Equal(t, 1, calls)
}
