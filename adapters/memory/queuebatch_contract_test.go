package memory_test

import (
	"testing"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

func TestBatchQueueContract(t *testing.T) {
	t.Parallel()
	contract.BatchQueue(t, func(*testing.T) contract.BatchingQueue { return memory.NewQueue(sysclock.Clock{}) },
		contract.QueueOptions{Parked: func(_ *testing.T, q ports.Queue) int { return q.(*memory.Queue).Parked() }})
}
