package memory_test

import (
	"testing"

	"taskrunner/adapters/memory"
	"taskrunner/test/contract"
)

func TestTaskBatchStoreContract(t *testing.T) {
	t.Parallel()
	t.Run("Fresh", func(t *testing.T) {
		t.Parallel()
		contract.TaskBatchStore(t, func(*testing.T) contract.BatchTaskStore { return memory.NewTaskStore() })
	})
	t.Run("Shared", func(t *testing.T) {
		t.Parallel()
		s := memory.NewTaskStore()
		contract.TaskBatchStore(t, func(*testing.T) contract.BatchTaskStore { return s })
	})
}
