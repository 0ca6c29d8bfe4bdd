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
	var targets sync.Map // ports.Queue -> harness.RedisTarget, for Parked
	contract.Queue(t, func(t *testing.T) ports.Queue {
		r := harness.Redis(t)
		q := must(redis.NewQueue(r.Client, r.Prefix))(t)
		targets.Store(ports.Queue(q), r)
		t.Cleanup(func() { targets.Delete(ports.Queue(q)) })
		return q
	}, contract.QueueOptions{Parked: func(t *testing.T, q ports.Queue) int {
		r, ok := targets.Load(q)
		require.True(t, ok, "a queue the factory did not make")
		return blocked(t, r.(harness.RedisTarget))
	}})
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
