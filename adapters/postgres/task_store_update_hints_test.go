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

// TestHintedUpdatesTakeNoRowLockFirst proves the hinted writes skip the locking read: a
// FOR KEY SHARE lock held elsewhere blocks SELECT ... FOR UPDATE, but not an UPDATE of
// non-key columns. So a hinted start and a hinted finish go through while that lock is
// held, and the same change without its hint waits for it.
func TestHintedUpdatesTakeNoRowLockFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := setup(t)
	s := postgres.NewTaskStore(db)
	task := contract.NewTask()
	_, _, err := s.Create(ctx, task)
	require.NoError(t, err)

	other, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = other.Close(context.WithoutCancel(ctx)) })
	tx, err := other.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback(context.WithoutCancel(ctx)) })
	_, err = tx.Exec(ctx, "SELECT 1 FROM tasks WHERE id = $1 FOR KEY SHARE", task.ID)
	require.NoError(t, err)

	at := contract.Now()
	apply := func(t *domain.Task) error { return t.Start("d", at) }
	hinted := domain.TaskChange{ID: task.ID, Apply: apply, Start: &domain.StartIntent{Holder: "d", At: at}}
	res, err := s.UpdateMany(withTimeout(t, 5*time.Second), []domain.TaskChange{hinted})
	require.NoError(t, err, "a hinted start must not wait for the row lock")
	require.NoError(t, res[0].Err)
	started := res[0].Task

	done := at.Add(time.Second)
	finish := func(t *domain.Task) error { return t.Succeed([]byte(`{}`), done) }
	res, err = s.UpdateMany(withTimeout(t, 5*time.Second), []domain.TaskChange{{ID: task.ID, Apply: finish, Seen: &started}})
	require.NoError(t, err, "a finish hinted with the current version must not wait for the row lock")
	require.NoError(t, res[0].Err)
	require.Equal(t, domain.StatusSucceeded, res[0].Task.Status)

	// Without a hint the change must read the row under FOR UPDATE, which waits.
	_, err = s.UpdateMany(withTimeout(t, 300*time.Millisecond), []domain.TaskChange{{ID: task.ID, Apply: func(*domain.Task) error { return nil }}})
	require.Error(t, err, "an unhinted change waits for the lock held elsewhere")
}

func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestHintedSwapReturnsTheStoredRow: a compare-and-swap does not read the row back, so
// what it returns must be what the table holds anyway, to the microsecond and the byte: a
// result whose keys jsonb reorders, and times in nanoseconds, which the column cuts to
// microseconds. The returned task is the next hint, so it must match the row as well.
func TestHintedSwapReturnsTheStoredRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewTaskStore(db)
	task := contract.NewTask()
	_, _, err := s.Create(ctx, task)
	require.NoError(t, err)

	at := contract.Now().Add(time.Second + 123456789*time.Nanosecond)
	start := domain.TaskChange{ID: task.ID, Apply: func(t *domain.Task) error { return t.Start("d", at) },
		Start: &domain.StartIntent{Holder: "d", At: at}}
	res, err := s.UpdateMany(ctx, []domain.TaskChange{start})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	started := res[0].Task

	// A beat through a hint (the task stays running), then its finish hinted with what the
	// beat returned.
	beat := at.Add(time.Second + 987*time.Nanosecond)
	res, err = s.UpdateMany(ctx, []domain.TaskChange{{ID: task.ID, Seen: &started, Apply: func(t *domain.Task) error {
		return t.Beat("d", &domain.Progress{Done: 1, Total: 2, Message: "half"}, beat)
	}}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	beaten := res[0].Task
	requireStoredExactly(t, s, beaten)

	done := beat.Add(time.Second + 555*time.Nanosecond)
	res, err = s.UpdateMany(ctx, []domain.TaskChange{{ID: task.ID, Seen: &beaten, Apply: func(t *domain.Task) error {
		return t.Succeed([]byte(`{"zeta":1,"a":{"yy":2,"x":3}}`), done)
	}}})
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	require.Equal(t, domain.StatusSucceeded, res[0].Task.Status)
	requireStoredExactly(t, s, res[0].Task)
}
