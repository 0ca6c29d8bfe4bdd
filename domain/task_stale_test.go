package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestStaleCursorPrecedes(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	task := domain.Task{ID: "0194-b", UpdatedAt: at}
	for _, tc := range []struct {
		name   string
		cursor domain.StaleCursor
		want   bool
	}{
		{"zero cursor is before everything", domain.StaleCursor{}, true},
		{"zero time with an id is still the start", domain.StaleCursor{ID: "zzzz"}, true},
		{"earlier time", domain.StaleCursor{UpdatedAt: at.Add(-time.Microsecond), ID: "zzzz"}, true},
		{"later time", domain.StaleCursor{UpdatedAt: at.Add(time.Microsecond)}, false},
		{"same time, empty id", domain.StaleCursor{UpdatedAt: at}, true},
		{"same time, smaller id", domain.StaleCursor{UpdatedAt: at, ID: "0194-a"}, true},
		{"the task itself", domain.StaleCursorAt(task), false},
		{"same time, larger id", domain.StaleCursor{UpdatedAt: at, ID: "0194-c"}, false},
	} {
		require.Equal(t, tc.want, tc.cursor.Precedes(task), tc.name)
	}
	require.True(t, domain.StaleCursor{}.IsZero())
	require.False(t, domain.StaleCursorAt(task).IsZero())
}
