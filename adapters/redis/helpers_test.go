package redis_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/adapters/redis"
	"taskrunner/test/harness"
)

// process is one simulated process: its own client (own connections) on the test's prefix.
func process(t *testing.T, r harness.RedisTarget) *goredis.Client {
	t.Helper()
	c, err := redis.Connect(t.Context(), redis.Config{URL: r.URL, Prefix: r.Prefix, PoolSize: 32})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func queueOn(t testing.TB, c *goredis.Client, prefix string) *redis.Queue {
	t.Helper()
	q, err := redis.NewQueue(c, prefix)
	require.NoError(t, err)
	return q
}

// countKeys returns how many keys exist under prefix.
func countKeys(t *testing.T, c *goredis.Client, prefix string) int {
	t.Helper()
	keys, err := c.Keys(context.Background(), redis.KeyPattern(prefix)).Result()
	require.NoError(t, err)
	return len(keys)
}

// blocked returns how many of r.Client's connections are blocked on the server: consumers
// parked in Dequeue's BLMOVE.
func blocked(t *testing.T, r harness.RedisTarget) int {
	t.Helper()
	n, err := harness.RedisBlocked(t.Context(), r)
	require.NoError(t, err)
	return n
}
