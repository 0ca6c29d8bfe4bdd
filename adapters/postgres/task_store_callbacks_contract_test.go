package postgres_test

import (
	"testing"

	"taskrunner/adapters/postgres"
	"taskrunner/test/contract"
)

func TestCallbackOutboxContract(t *testing.T) {
	t.Parallel()
	contract.CallbackOutbox(t, func(t *testing.T) contract.OutboxStore {
		db, _ := setup(t)
		return postgres.NewTaskStore(db)
	})
}
