package logcapture

import (
	"log/slog"
	"testing"
	"time"

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

func TestTaskEventsAndWait(t *testing.T) {
	t.Parallel()
	var b Buffer
	log := slog.New(slog.NewJSONHandler(&b, nil))
	log.Info("task_killed", "task_id", "a")
	log.Info("task_killed", "task_id", "b", "note", `"msg":"task_killed"`)

	require.Len(t, b.TaskEvents("task_killed", "b"), 1)
	require.Len(t, b.TaskEvents("task_killed", ""), 2)
	require.Empty(t, b.TaskEvents("task_killed", "c"))

	go log.Info("task_succeeded", "task_id", "c") // logged while Wait polls
	ev := b.Wait(t, 5*time.Second, "task_succeeded", "c")
	require.Equal(t, "c", ev["task_id"])
}
