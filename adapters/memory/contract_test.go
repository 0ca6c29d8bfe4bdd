package memory_test

import (
	"testing"
	"time"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
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
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.TaskStore(t, func(*testing.T) ports.TaskStore { return memory.NewTaskStore() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		s := memory.NewTaskStore()
		contract.TaskStore(t, func(*testing.T) ports.TaskStore { return s })
	})
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
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.RunStore(t, func(*testing.T) ports.RunStore { return memory.NewRunStore() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		s := memory.NewRunStore()
		contract.RunStore(t, func(*testing.T) ports.RunStore { return s })
	})
}

func TestCacheContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.Cache(t, func(*testing.T) ports.Cache { return memory.NewCache(sysclock.Clock{}) })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		c := memory.NewCache(sysclock.Clock{})
		contract.Cache(t, func(*testing.T) ports.Cache { return c })
	})
}

func TestRateLimiterContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.RateLimiter(t, func(*testing.T) ports.RateLimiter { return memory.NewRateLimiter(sysclock.Clock{}) })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		l := memory.NewRateLimiter(sysclock.Clock{})
		contract.RateLimiter(t, func(*testing.T) ports.RateLimiter { return l })
	})
}

func TestCancelSignalsContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.CancelSignals(t, func(*testing.T) ports.CancelSignals { return memory.NewCancelSignals() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		s := memory.NewCancelSignals()
		contract.CancelSignals(t, func(*testing.T) ports.CancelSignals { return s })
	})
}

func TestBlobStoreContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.BlobStore(t, func(*testing.T) ports.BlobStore { return memory.NewBlobStore() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		s := memory.NewBlobStore()
		contract.BlobStore(t, func(*testing.T) ports.BlobStore { return s })
	})
}

// The fake clock starts in a zone other than UTC, so the suite sees Now convert.
func TestFakeClockContract(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 29, 1, 59, 59, 999, time.FixedZone("UTC+5:30", 5*3600+1800))
	contract.Clock(t, func(*testing.T) ports.Clock { return memory.NewFakeClock(start) },
		contract.ClockOptions{Advance: func(c ports.Clock, d time.Duration) { c.(*memory.FakeClock).Advance(d) }})
}
