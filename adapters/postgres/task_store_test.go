package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// These tests cover what is particular to PostgreSQL; the port's behaviour is the contract
// suite's (contract_test.go).

func TestTaskStoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewTaskStore(db)

	in := contract.NewTask(func(t *domain.Task) {
		t.Params = json.RawMessage(`{ "message" : "hi",  "n": [1, 2] }`)
		t.IdempotencyKey = "k1"
		t.CreatedAt = t.CreatedAt.In(time.FixedZone("X", 3600)).Add(123 * time.Nanosecond)
	})
	stored, created, err := s.Create(ctx, in)
	require.NoError(t, err)
	require.True(t, created)
	require.JSONEq(t, string(in.Params), string(stored.Params))
	require.Equal(t, `{"n":[1,2],"message":"hi"}`, string(stored.Params), "jsonb spacing is compacted")
	require.Equal(t, time.UTC, stored.CreatedAt.Location())
	require.True(t, stored.CreatedAt.Equal(in.CreatedAt.Truncate(time.Microsecond)))

	got, err := s.Get(ctx, in.ID)
	require.NoError(t, err)
	require.Equal(t, stored, got)
	require.Nil(t, got.Result)
	require.Nil(t, got.Error)
	require.Nil(t, got.StartedAt)
}

func TestTaskStoreGetMalformedID(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	_, err := postgres.NewTaskStore(db).Get(context.Background(), "not-a-uuid")
	require.ErrorIs(t, err, domain.ErrNotFound)
}

// TestTaskStoreUpdateIsExclusive races workers applying the same transition: the row lock
// lets exactly one succeed, every other one sees the task already finished.
func TestTaskStoreUpdateIsExclusive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, _ := storedTask(t)
	_, err := s.Update(ctx, task.ID, func(t *domain.Task) error { return t.Start("d", time.Now().UTC()) })
	require.NoError(t, err)

	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			result := json.RawMessage(`{"worker":` + string(rune('0'+i)) + `}`)
			_, err := s.Update(ctx, task.ID, func(t *domain.Task) error { return t.Succeed(result, time.Now().UTC()) })
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	var ok, conflicts int
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, domain.ErrConflict):
			conflicts++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	require.Equal(t, 1, ok)
	require.Equal(t, workers-1, conflicts)
}

func TestTaskStoreUpdateRollsBackOnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, _ := storedTask(t)

	boom := errors.New("boom")
	_, err := s.Update(ctx, task.ID, func(t *domain.Task) error {
		t.Status = domain.StatusFailed
		return boom
	})
	require.Same(t, boom, err, "fn's error comes back unchanged")
	got, err := s.Get(ctx, task.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusQueued, got.Status)
}

// TestTaskStoreConcurrentIdempotentCreate submits one key from many clients at once: one
// task is stored and every caller gets it back.
func TestTaskStoreConcurrentIdempotentCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewTaskStore(db)

	const clients = 8
	var wg sync.WaitGroup
	type result struct {
		id      string
		created bool
		err     error
	}
	results := make(chan result, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, created, err := s.Create(ctx, contract.NewTask(func(t *domain.Task) { t.IdempotencyKey = "same" }))
			results <- result{got.ID, created, err}
		}()
	}
	wg.Wait()
	close(results)
	ids := map[string]bool{}
	createdCount := 0
	for r := range results {
		require.NoError(t, r.err)
		ids[r.id] = true
		if r.created {
			createdCount++
		}
	}
	require.Len(t, ids, 1)
	require.Equal(t, 1, createdCount)
}

func TestTaskStoreDuplicateIDConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, task, _ := storedTask(t)
	_, _, err := s.Create(ctx, task)
	require.ErrorIs(t, err, domain.ErrConflict)
}
