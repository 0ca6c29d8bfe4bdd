package redis_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/ports"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// Each subtest of a suite gets its own prefix (and client) from the harness.

func TestQueueContract(t *testing.T) {
	t.Parallel()
	var qs queues
	contract.Queue(t, func(t *testing.T) ports.Queue { return qs.new(t) }, qs.options())
}

// queues makes each subtest's queue on its own harness prefix and remembers which target
// a queue it made is on, so the suite can ask how many of its consumers are parked.
type queues struct {
	targets sync.Map // ports.Queue -> harness.RedisTarget
}

func (qs *queues) new(t *testing.T) *redis.Queue {
	r := harness.Redis(t)
	q := must(redis.NewQueue(r.Client, r.Prefix))(t)
	qs.targets.Store(ports.Queue(q), r)
	t.Cleanup(func() { qs.targets.Delete(ports.Queue(q)) })
	return q
}

func (qs *queues) options() contract.QueueOptions {
	return contract.QueueOptions{Parked: func(t *testing.T, q ports.Queue) int {
		r, ok := qs.targets.Load(q)
		require.True(t, ok, "a queue the factory did not make")
		return blocked(t, r.(harness.RedisTarget))
	}}
}

func TestCacheContract(t *testing.T) {
	t.Parallel()
	contract.Cache(t, func(t *testing.T) ports.Cache {
		r := harness.Redis(t)
		return must(redis.NewCache(r.Client, r.Prefix))(t)
	})
}

func TestRateLimiterContract(t *testing.T) {
	t.Parallel()
	contract.RateLimiter(t, func(t *testing.T) ports.RateLimiter {
		r := harness.Redis(t)
		return must(redis.NewRateLimiter(r.Client, r.Prefix))(t)
	})
}

func TestCancelSignalsContract(t *testing.T) {
	t.Parallel()
	contract.CancelSignals(t, func(t *testing.T) ports.CancelSignals {
		r := harness.Redis(t)
		return must(redis.NewCancelSignals(r.Client, r.Prefix))(t)
	})
}

// must fails the test when a constructor returned an error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}

func TestTaskEventsContract(t *testing.T) {
	t.Parallel()
	contract.TaskEvents(t, func(t *testing.T) ports.TaskEvents {
		r := harness.Redis(t)
		return must(redis.NewTaskEvents(r.Client, r.Prefix, nil))(t)
	})
}

func TestHostPacerContract(t *testing.T) {
	t.Parallel()
	contract.HostPacer(t, func(t *testing.T) ports.HostPacer {
		r := harness.Redis(t)
		return must(redis.NewHostPacer(r.Client, r.Prefix))(t)
	})
}
