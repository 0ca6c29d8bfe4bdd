package redis_test

import (
	"testing"

	"taskrunner/test/contract"
)

// Each subtest gets its own prefix (and client) from the harness, as in TestQueueContract.
func TestBatchQueueContract(t *testing.T) {
	t.Parallel()
	var qs queues
	contract.BatchQueue(t, func(t *testing.T) contract.BatchingQueue { return qs.new(t) }, qs.options())
}
