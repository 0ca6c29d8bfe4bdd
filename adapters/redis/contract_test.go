package redis_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/ports"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

func newQueue(t *testing.T) ports.Queue {
	r := harness.Redis(t)
	q, err := redis.NewQueue(r.Client, r.Prefix)
	require.NoError(t, err)
	return q
}

func TestQueueContract(t *testing.T) {
	t.Parallel()
	contract.Queue(t, newQueue)
}
