package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// What the batch contract cannot provoke through the port: a value the server refuses in
// the middle of a batch, and a key holder that commits while the batch waits for it.

// TestTaskBatchRefusedValueStoresNothing: one value the server refuses fails the whole
// batch as a 422, stores nothing of it, and leaves the store (and its connections) working.
func TestTaskBatchRefusedValueStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewTaskStore(db)

	bad := contract.NewTask(func(t *domain.Task) { t.Params = json.RawMessage(`{"msg":"a\u0000b"}`) })
	good := contract.NewTask(func(t *domain.Task) { t.IdempotencyKey = "k-" + t.ID })
	_, err := s.CreateMany(ctx, []domain.Task{good, bad})
	requireInvalidValue(t, err, "CreateMany with a NUL in one task's params")
	for _, task := range []domain.Task{good, bad} {
		_, err := s.Get(ctx, task.ID)
		require.ErrorIs(t, err, domain.ErrNotFound, "nothing of the batch was stored")
	}

	tasks := []domain.Task{contract.NewTask(), contract.NewTask(), contract.NewTask()}
	_, err = s.CreateMany(ctx, tasks)
	require.NoError(t, err, "the store still works after the refusal")
	for range 2 * testMaxConns { // more calls than connections: none was left in a transaction
		results, err := s.UpdateMany(ctx, []domain.TaskChange{
			{ID: tasks[0].ID, Apply: func(t *domain.Task) error { t.Attempts++; return nil }},
			{ID: tasks[1].ID, Apply: func(t *domain.Task) error {
				t.Result = json.RawMessage(`{"text":"\u0000"}`)
				return nil
			}},
		})
		requireInvalidValue(t, err, "UpdateMany with a NUL in one task's result")
		require.Nil(t, results)
	}
	for _, task := range tasks[:2] {
		got, err := s.Get(ctx, task.ID)
		require.NoError(t, err)
		require.Equal(t, 0, got.Attempts, "nothing of the batch was stored")
		require.Nil(t, got.Result)
	}
	results, err := s.UpdateMany(ctx, []domain.TaskChange{
		{ID: tasks[2].ID, Apply: func(t *domain.Task) error { return t.Start("d", time.Now()) }},
	})
	require.NoError(t, err)
	require.NoError(t, results[0].Err)
}

// TestTaskBatchCreateWaitsForAKeyBeingInserted: while another transaction is inserting a
// task with a key, a batch with that key waits for it, and then reports that task as the
// holder, read on a snapshot taken after the wait.
func TestTaskBatchCreateWaitsForAKeyBeingInserted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := setup(t)
	s := postgres.NewTaskStore(db)
	other, watch := connect(t, url), connect(t, url)

	holder := contract.NewTask(func(t *domain.Task) { t.IdempotencyKey = "k-" + t.ID })
	tx, err := other.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "INSERT INTO tasks (id, type, status, params, timeout_seconds, idempotency_key, created_at, updated_at) "+
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", holder.ID, string(holder.Type), string(holder.Status), []byte(holder.Params),
		holder.TimeoutSeconds, holder.IdempotencyKey, holder.CreatedAt, holder.UpdatedAt)
	require.NoError(t, err)

	late := contract.NewTask(func(t *domain.Task) { t.IdempotencyKey = holder.IdempotencyKey })
	fresh := contract.NewTask()
	type outcome struct {
		results []domain.CreateResult
		err     error
	}
	done := make(chan outcome, 1)
	go func() {
		results, err := s.CreateMany(ctx, []domain.Task{fresh, late})
		done <- outcome{results, err}
	}()
	// The batch is waiting once a backend of this database waits on a lock. (Watched from
	// a connection outside the transaction, whose view of pg_stat_activity would be frozen.)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		require.NoError(t, watch.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity "+
			"WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&waiting))
		if waiting > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the batch never waited for the key's holder")
		select {
		case o := <-done:
			t.Fatalf("the batch finished before the holder committed: %+v", o)
		case <-time.After(5 * time.Millisecond):
		}
	}
	require.NoError(t, tx.Commit(ctx))

	o := <-done
	require.NoError(t, o.err)
	require.True(t, o.results[0].Created)
	require.False(t, o.results[1].Created, "the key went to the transaction that was inserting it")
	require.Equal(t, holder.ID, o.results[1].Task.ID)
	_, err = s.Get(ctx, late.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
}
