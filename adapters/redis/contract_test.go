package redis_test

import (
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
	contract.Queue(t, func(t *testing.T) ports.Queue {
		r := harness.Redis(t)
		return must(redis.NewQueue(r.Client, r.Prefix))(t)
	})
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
