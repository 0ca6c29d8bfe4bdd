package domain_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestItemErrorNamesTheItemAndKeepsTheRest(t *testing.T) {
	t.Parallel()
	cause := errors.New("driver text")
	orig := domain.InvalidParams("params.seconds", "params.seconds must be >= 0").WithCause(cause)
	err := domain.ItemError(orig, "tasks", 3)

	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, domain.CodeInvalidParams, de.Code)
	require.Equal(t, "tasks[3]: params.seconds must be >= 0", de.Message)
	require.Equal(t, map[string]any{"field": "params.seconds", "index": 3}, de.Details)
	require.ErrorIs(t, err, cause)
	require.Equal(t, map[string]any{"field": "params.seconds"}, orig.Details, "the original is left as it was")

	plain := errors.New("no code")
	require.Equal(t, plain, domain.ItemError(plain, "tasks", 0))
}
