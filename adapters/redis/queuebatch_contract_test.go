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

// Each subtest gets its own prefix (and client) from the harness, as in TestQueueContract.
func TestBatchQueueContract(t *testing.T) {
	t.Parallel()
	var targets sync.Map // ports.Queue -> harness.RedisTarget, for Parked
	contract.BatchQueue(t, func(t *testing.T) contract.BatchingQueue {
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
