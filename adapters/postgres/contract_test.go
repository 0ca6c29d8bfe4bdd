package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The port contracts, each subtest on a fresh schema of its own.

func TestTaskStoreContract(t *testing.T) {
	t.Parallel()
	contract.TaskStore(t, func(t *testing.T) ports.TaskStore {
		db, _ := setup(t)
		return postgres.NewTaskStore(db)
	})
}

func TestArtifactStoreContract(t *testing.T) {
	t.Parallel()
	contract.ArtifactStore(t, func(t *testing.T) (ports.ArtifactStore, ports.TaskStore) {
		db, _ := setup(t)
		return postgres.NewArtifactStore(db), postgres.NewTaskStore(db)
	})
}

func TestRunStoreContract(t *testing.T) {
	t.Parallel()
	contract.RunStore(t, func(t *testing.T) ports.RunStore {
		db, _ := setup(t)
		return postgres.NewRunStore(db)
	})
}

func TestDuePromoterContract(t *testing.T) {
	t.Parallel()
	contract.DuePromoter(t, func(t *testing.T) contract.PromotingStore {
		db, _ := setup(t)
		return postgres.NewTaskStore(db)
	})
}

func TestScheduleStoreContract(t *testing.T) {
	t.Parallel()
	contract.ScheduleStore(t, func(t *testing.T) ports.ScheduleStore {
		db, _ := setup(t)
		return postgres.NewScheduleStore(db)
	})
}

func TestRetentionStoreContract(t *testing.T) {
	t.Parallel()
	contract.RetentionStore(t, func(t *testing.T) contract.RetentionStores {
		db, _ := setup(t)
		return contract.RetentionStores{Retention: postgres.NewRetentionStore(db), Tasks: postgres.NewTaskStore(db),
			Artifacts: postgres.NewArtifactStore(db), Runs: postgres.NewRunStore(db)}
	})
}

func TestTaskStatsContract(t *testing.T) {
	t.Parallel()
	contract.TaskStats(t, func(t *testing.T) contract.TaskStatsStores {
		db, _ := setup(t)
		s := postgres.NewTaskStore(db)
		return contract.TaskStatsStores{Stats: s, Tasks: s}
	})
}

// The counters of migration 0013 against a GROUP BY over the tasks.
func TestTaskCountsContract(t *testing.T) {
	t.Parallel()
	contract.TaskCounts(t, func(t *testing.T) contract.TaskCountsStores {
		db, _ := setup(t)
		return contract.TaskCountsStores{Tasks: postgres.NewTaskStore(db), Retention: postgres.NewRetentionStore(db),
			Recount: func(t *testing.T) map[domain.TaskType]map[domain.Status]int64 {
				t.Helper()
				counts, err := postgres.RecountTasks(t.Context(), db)
				require.NoError(t, err)
				return counts
			}}
	})
}
