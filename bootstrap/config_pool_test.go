package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRedisPoolFollowsConcurrency: unset, the pool leaves room for every worker loop's
// blocking dequeue plus the calls of running tasks; set, REDIS_POOL_SIZE wins.
func TestRedisPoolFollowsConcurrency(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, 64, c.RedisPool(), "default concurrency 16 keeps the floor")

	c.WorkerConcurrency = 128 // as `taskrunner worker --concurrency 128` sets it after Load
	require.Equal(t, 2*128+16, c.RedisPool())

	c, err = Load(env(map[string]string{"REDIS_POOL_SIZE": "40", "WORKER_CONCURRENCY": "128"}))
	require.NoError(t, err)
	require.Equal(t, 40, c.RedisPool(), "an explicit size is kept")
}
