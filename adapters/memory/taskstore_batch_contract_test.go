package memory_test

import (
	"testing"

	"taskrunner/adapters/memory"
	"taskrunner/test/contract"
)

func TestTaskBatchStoreContract(t *testing.T) {
	t.Parallel()
	freshAndShared(t, contract.TaskBatchStore, func() contract.BatchTaskStore { return memory.NewTaskStore() })
}
