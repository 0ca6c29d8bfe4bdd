package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// Migration 0013 counts the tasks that exist when it runs; its down migration leaves no
// trigger or function behind, so writes at the older schema pay nothing.
func TestTaskCountsBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := harness.Postgres(t)
	require.NoError(t, postgres.MigrateDown(ctx, url, 1))
	conn := connect(t, url)
	var left int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_proc WHERE proname LIKE 'task_counts%'`).Scan(&left))
	require.Zero(t, left, "functions left by the down migration")
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'task_counts%'`).Scan(&left))
	require.Zero(t, left, "triggers left by the down migration")

	db, _ := open(t, url)
	s := postgres.NewTaskStore(db)
	typ := contract.UniqueTaskType()
	for i := range 7 {
		task := contract.NewTask(contract.WithType(typ))
		_, _, err := s.Create(ctx, task)
		require.NoError(t, err)
		if i < 3 {
			_, err = s.Update(ctx, task.ID, func(cur *domain.Task) error { return cur.Start("h", contract.Now()) })
			require.NoError(t, err)
		}
	}
	db.Close()

	require.NoError(t, postgres.MigrateUp(ctx, url))
	db, _ = open(t, url)
	got, err := postgres.NewTaskStore(db).CountByTypeStatus(ctx)
	require.NoError(t, err)
	require.Equal(t, map[domain.Status]int64{domain.StatusQueued: 4, domain.StatusRunning: 3}, got[typ])
	recount, err := postgres.RecountTasks(ctx, db)
	require.NoError(t, err)
	require.Equal(t, recount, got)
}
