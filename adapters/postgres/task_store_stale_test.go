package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
)

func TestTaskStoreListStaleMalformedCursor(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	_, err := postgres.NewTaskStore(db).ListStale(context.Background(), domain.StaleQuery{
		Status: domain.StatusQueued, UpdatedBefore: time.Now(), Limit: 10,
		After: domain.StaleCursor{UpdatedAt: time.Now(), ID: "not-a-uuid"},
	})
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, domain.CodeInvalidRequest, de.Code)
}

// TestTaskStoreListStaleUsesKeysetIndex checks that a page of stale tasks is one index range
// scan, with no sort: the cursor and the order must both be the index's (migrations 0004,
// 0006), for each status the reconciler walks.
// Sequential scans are switched off, as the planner would rightly pick one for a tiny table.
func TestTaskStoreListStaleUsesKeysetIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := setup(t)
	conn := connect(t, url)
	_, err := conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)

	now := time.Now()
	for _, status := range []domain.Status{domain.StatusQueued, domain.StatusRunning} {
		for _, after := range []pgtype.Timestamptz{
			{InfinityModifier: pgtype.NegativeInfinity, Valid: true},
			{Time: now.Add(-time.Hour), Valid: true},
		} {
			rows, err := conn.Query(ctx, "EXPLAIN "+postgres.SelectStale,
				string(status), now, after, "00000000-0000-0000-0000-000000000000", 1000)
			require.NoError(t, err)
			lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
			require.NoError(t, err)
			plan := strings.Join(lines, "\n")
			require.Contains(t, plan, "tasks_unfinished_status_updated_at_id_idx", plan)
			require.NotContains(t, plan, "Sort", plan)
			require.NotContains(t, plan, "Filter", plan)
		}
	}
}
