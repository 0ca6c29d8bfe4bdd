package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

func taskGetByKey(t *testing.T, s ports.TaskStore) {
	key := "contract-" + randomHex(8)
	want := FullTask(WithIdempotencyKey(key))
	createTask(t, s, want)
	got, err := s.GetByIdempotencyKey(t.Context(), key)
	require.NoError(t, err)
	RequireSameTask(t, want, got)

	_, err = s.GetByIdempotencyKey(t.Context(), "contract-"+randomHex(8))
	require.ErrorIs(t, err, domain.ErrNotFound, "an unused key")
	createTask(t, s, NewTask())
	_, err = s.GetByIdempotencyKey(t.Context(), "")
	require.ErrorIs(t, err, domain.ErrNotFound, "the empty key matches no task, keyless ones included")
}

func taskGetUnknown(t *testing.T, s ports.TaskStore) {
	_, err := s.Get(t.Context(), NewID())
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func taskGetCopies(t *testing.T, s ports.TaskStore) {
	want := FullTask()
	createTask(t, s, want)
	got := getTask(t, s, want.ID)
	require.NotEmpty(t, got.Params)
	got.Params[2] = 'X'
	got.Result[2] = 'X'
	got.Error.Message = "changed"
	*got.StartedAt = got.StartedAt.Add(time.Hour)
	*got.FinishedAt = got.FinishedAt.Add(time.Hour)
	RequireSameTask(t, want, getTask(t, s, want.ID))
}
