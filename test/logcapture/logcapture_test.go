package logcapture

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEventsLinesAndTail(t *testing.T) {
	t.Parallel()
	var b Buffer
	log := slog.New(slog.NewJSONHandler(&b, nil))
	log.Info("task_killed", "task_id", "a")
	log.Info("task_started", "task_id", "b")
	log.Info("task_killed", "task_id", "c")

	ev := b.Events("task_killed")
	require.Len(t, ev, 2)
	require.Equal(t, "a", ev[0]["task_id"])
	require.Equal(t, "c", ev[1]["task_id"])
	require.Len(t, b.Lines("task_started"), 1)
	require.Empty(t, b.Events("task_kill"), "an event name matches whole, not as a prefix")
	require.Contains(t, b.Tail(1), `"task_id":"c"`)
	require.NotContains(t, b.Tail(1), `"task_id":"b"`)
}
