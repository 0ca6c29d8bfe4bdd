package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestStartsExhausted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		retries, attempts int
		want              bool
	}{
		{0, 1, false},
		{0, 4, false},
		{0, 5, true},
		{2, 6, false},
		{2, 7, true},
	} {
		task := domain.Task{MaxRetries: tc.retries, Attempts: tc.attempts}
		require.Equal(t, tc.want, task.StartsExhausted(), "retries %d attempts %d", tc.retries, tc.attempts)
	}
	task := domain.Task{Attempts: 5}
	require.Equal(t, domain.CodeInternal, domain.LostTooOften(&task).Code)
	require.Contains(t, domain.LostTooOften(&task).Message, "5 attempts")
}
