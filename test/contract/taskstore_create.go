package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

func taskCreateFull(t *testing.T, s ports.TaskStore) {
	want := FullTask()
	stored := createTask(t, s, want)
	RequireSameTask(t, want, stored)
	RequireSameTask(t, want, getTask(t, s, want.ID))
}

func taskCreateMinimal(t *testing.T, s ports.TaskStore) {
	want := NewTask(func(t *domain.Task) { t.ClientID = "" })
	createTask(t, s, want)
	got := getTask(t, s, want.ID)
	RequireSameTask(t, want, got)
	require.Nil(t, got.Error)
	require.Empty(t, got.Result)
	require.Nil(t, got.StartedAt)
	require.Nil(t, got.FinishedAt)

	// Tasks without a key never collide on it.
	other := NewTask()
	createTask(t, s, other)
	RequireSameTask(t, other, getTask(t, s, other.ID))
}

func taskCreateDuplicate(t *testing.T, s ports.TaskStore) {
	first := NewTask()
	createTask(t, s, first)
	dup := NewTask(WithParams(`{"msg":"other"}`))
	dup.ID = first.ID
	_, _, err := s.Create(t.Context(), dup)
	require.Error(t, err, "Create with an existing id")
	RequireSameTask(t, first, getTask(t, s, first.ID))
}

func taskCreateIdempotent(t *testing.T, s ports.TaskStore) {
	key := "contract-" + randomHex(8)
	first := NewTask(WithIdempotencyKey(key))
	createTask(t, s, first)
	second := NewTask(WithIdempotencyKey(key), WithParams(`{"msg":"second"}`))
	stored, created, err := s.Create(t.Context(), second)
	require.NoError(t, err)
	require.False(t, created, "a second task with the same key is not created")
	RequireSameTask(t, first, stored)
	_, err = s.Get(t.Context(), second.ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "nothing stored under the second id")
}

func taskCreateIdempotentConcurrent(t *testing.T, s ports.TaskStore) {
	const n = 10
	key := "contract-" + randomHex(8)
	type result struct {
		stored  domain.Task
		created bool
		err     error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range results {
		task := NewTask(WithIdempotencyKey(key))
		wg.Go(func() {
			st, c, err := s.Create(t.Context(), task)
			results[i] = result{st, c, err}
		})
	}
	wg.Wait()
	created, winner := 0, ""
	for _, r := range results {
		require.NoError(t, r.err)
		if r.created {
			created++
			winner = r.stored.ID
		}
	}
	require.Equal(t, 1, created, "exactly one create with the key wins")
	for _, r := range results {
		require.Equal(t, winner, r.stored.ID, "every caller gets the winner")
	}
}

func taskCreateCopies(t *testing.T, s ports.TaskStore) {
	in := FullTask()
	want := in.Clone()
	stored := createTask(t, s, in)
	// Mutating what was passed in or returned must not reach the store.
	in.Params[2] = 'X'
	in.Error.Message = "changed"
	*in.StartedAt = in.StartedAt.Add(time.Hour)
	stored.Result[2] = 'X'
	stored.Error.Message = "changed"
	RequireSameTask(t, want, getTask(t, s, want.ID))
}
