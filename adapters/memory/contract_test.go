package memory_test

import (
	"testing"
	"time"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// Every suite runs twice: with a fresh adapter per subtest, and (except for the queue,
// whose suite needs an isolated queue) with one adapter shared by all subtests, which is
// how the real adapters meet shared services; that checks the suites themselves never
// assume an empty store.

func TestQueueContract(t *testing.T) {
	t.Parallel()
	contract.Queue(t, func(*testing.T) ports.Queue { return memory.NewQueue(sysclock.Clock{}) },
		contract.QueueOptions{Parked: func(_ *testing.T, q ports.Queue) int { return q.(*memory.Queue).Parked() }})
}

func TestTaskStoreContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.TaskStore, func() ports.TaskStore { return memory.NewTaskStore() })
}

func TestArtifactStoreContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.ArtifactStore(t, func(*testing.T) (ports.ArtifactStore, ports.TaskStore) {
			return memory.NewArtifactStore(), memory.NewTaskStore()
		})
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		a, s := memory.NewArtifactStore(), memory.NewTaskStore()
		contract.ArtifactStore(t, func(*testing.T) (ports.ArtifactStore, ports.TaskStore) { return a, s })
	})
}

func TestRunStoreContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.RunStore, func() ports.RunStore { return memory.NewRunStore() })
}

func TestCacheContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.Cache, func() ports.Cache { return memory.NewCache(sysclock.Clock{}) })
}

func TestRateLimiterContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.RateLimiter, func() ports.RateLimiter { return memory.NewRateLimiter(sysclock.Clock{}) })
}

func TestCancelSignalsContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.CancelSignals, func() ports.CancelSignals { return memory.NewCancelSignals() })
}

func TestBlobStoreContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.BlobStore, func() ports.BlobStore { return memory.NewBlobStore() })
}

// The fake clock starts in a zone other than UTC, so the suite sees Now convert.
func TestFakeClockContract(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 29, 1, 59, 59, 999, time.FixedZone("UTC+5:30", 5*3600+1800))
	contract.Clock(t, func(*testing.T) ports.Clock { return memory.NewFakeClock(start) },
		contract.ClockOptions{Advance: func(c ports.Clock, d time.Duration) { c.(*memory.FakeClock).Advance(d) }})
}

// freshAndShared runs suite twice, in parallel: with a fresh adapter from newAdapter for
// each subtest ("Fresh"), and with one adapter shared by all subtests ("Shared").
func freshAndShared[A any](t *testing.T, suite func(*testing.T, func(*testing.T) A), newAdapter func() A) {
	t.Helper()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		suite(t, func(*testing.T) A { return newAdapter() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		a := newAdapter()
		suite(t, func(*testing.T) A { return a })
	})
}

// The outbox suite claims every due callback of its store, so each subtest gets its own.
func TestCallbackOutboxContract(t *testing.T) {
	t.Parallel()
	contract.CallbackOutbox(t, func(*testing.T) contract.OutboxStore { return memory.NewTaskStore() })
}

func TestDuePromoterContract(t *testing.T) {
	t.Parallel()
	contract.DuePromoter(t, func(*testing.T) contract.PromotingStore { return memory.NewTaskStore() })
}

func TestScheduleStoreContract(t *testing.T) {
	t.Parallel()
	// Fresh only: FireDue takes any due schedule, so the suite cannot share a store.
	contract.ScheduleStore(t, func(*testing.T) ports.ScheduleStore { return memory.NewScheduleStore() })
}

// Fresh stores only: the retention suite deletes whatever is past its cutoff.
func TestRetentionStoreContract(t *testing.T) {
	t.Parallel()
	contract.RetentionStore(t, func(*testing.T) contract.RetentionStores {
		tasks, arts, runs := memory.NewTaskStore(), memory.NewArtifactStore(), memory.NewRunStore()
		return contract.RetentionStores{Retention: memory.NewRetentionStore(tasks, arts, runs),
			Tasks: tasks, Artifacts: arts, Runs: runs}
	})
}

func TestTaskEventsContract(t *testing.T) {
	t.Parallel()
	contract.TaskEvents(t, func(*testing.T) ports.TaskEvents { return memory.NewTaskEvents(0) })
}

func TestHostPacerContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.HostPacer, func() ports.HostPacer { return memory.NewHostPacer() })
}

// Fresh stores only: the stats count every task.
func TestTaskStatsContract(t *testing.T) {
	t.Parallel()
	contract.TaskStats(t, func(*testing.T) contract.TaskStatsStores {
		s := memory.NewTaskStore()
		return contract.TaskStatsStores{Stats: s, Tasks: s}
	})
}

// Fresh stores only: the recount and the retention cutoff take in every task.
func TestTaskCountsContract(t *testing.T) {
	t.Parallel()
	contract.TaskCounts(t, func(*testing.T) contract.TaskCountsStores {
		tasks := memory.NewTaskStore()
		return contract.TaskCountsStores{Tasks: tasks,
			Retention: memory.NewRetentionStore(tasks, memory.NewArtifactStore(), memory.NewRunStore()),
			Recount:   func(*testing.T) map[domain.TaskType]map[domain.Status]int64 { return tasks.Recount() }}
	})
}
