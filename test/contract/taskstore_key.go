package contract

import (
	"testing"

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
