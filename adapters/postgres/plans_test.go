package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// TestWorkerStatementsProbeByPrimaryKey: on a table that grew since its last ANALYZE (a
// fresh database under load: autovacuum has not looked yet), the worker's batch read,
// start and finish still find their rows through the primary key. A plan that scans the
// table instead costs a full read of it per batch: what made the start the most expensive
// statement of the hot path until the batch transaction ruled those plans out.
func TestWorkerStatementsProbeByPrimaryKey(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	all := storeNewTasks(t, db, 3000)
	for _, generic := range []bool{false, true} {
		plans, err := postgres.ExplainWorkerStatements(t.Context(), db, all[:40], generic)
		require.NoError(t, err)
		for _, name := range []string{"read", "start", "finish"} {
			plan := plans[name]
			require.Contains(t, plan, "tasks_pkey", "%s (generic %v): plan\n%s", name, generic, plan)
			require.NotContains(t, plan, "Seq Scan on tasks", "%s (generic %v): plan\n%s", name, generic, plan)
		}
	}
}

// TestHotPathParametersEncodeAtOnce: every parameter of the hot path's statements encodes
// in the format pgx tries first. One that does not (an array of ids declared uuid[]) made
// pgx format an error printing the whole array, then encode it again, on every batch.
func TestHotPathParametersEncodeAtOnce(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	tasks := []domain.Task{contract.NewTask(), contract.NewTask()}
	failed, err := postgres.HotPathEncodeErrors(t.Context(), db, tasks)
	require.NoError(t, err)
	require.Empty(t, failed)
}

// TestCachedPlansMadeOnASmallTableProbeByID: the plan a connection caches for a
// hot-path statement is made once, often while the table is still small (a fresh
// database), where a seq scan is the cheapest plan; nothing replaces it until an ANALYZE,
// and by then it reads the whole table for every batch. Made under the batch
// transaction's settings, even that plan probes by id.
func TestCachedPlansMadeOnASmallTableProbeByID(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	few := storeNewTasks(t, db, 20)
	plans, err := postgres.ExplainWorkerStatements(t.Context(), db, few, true)
	require.NoError(t, err)
	for _, name := range []string{"read", "start", "finish"} {
		plan := plans[name]
		// A probe by id: of the primary key, or of the (status, id) index with both given.
		require.Regexp(t, `Index Cond: .*\bid = (v\.id|ANY)`, plan, "%s: plan\n%s", name, plan)
		require.NotContains(t, plan, "Seq Scan on tasks", "%s: plan\n%s", name, plan)
	}
}

// storeNewTasks stores n new queued tasks, a thousand per batch, and returns them.
func storeNewTasks(t *testing.T, db *postgres.DB, n int) []domain.Task {
	t.Helper()
	s := postgres.NewTaskStore(db)
	tasks := make([]domain.Task, n)
	for i := range tasks {
		tasks[i] = contract.NewTask()
	}
	for start := 0; start < n; start += 1000 {
		_, err := s.CreateMany(t.Context(), tasks[start:min(start+1000, n)])
		require.NoError(t, err)
	}
	return tasks
}
