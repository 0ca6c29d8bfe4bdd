package postgres_test

import (
	"testing"

	"taskrunner/adapters/postgres"
	"taskrunner/test/contract"
)

func TestTaskBatchStoreContract(t *testing.T) {
	t.Parallel()
	contract.TaskBatchStore(t, func(t *testing.T) contract.BatchTaskStore {
		db, _ := setup(t)
		return postgres.NewTaskStore(db)
	})
}
