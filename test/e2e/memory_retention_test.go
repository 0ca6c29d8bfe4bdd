package e2e

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

// Memory mode keeps at most MEMORY_MAX_FINISHED_TASKS finished tasks: the one that
// finished first goes, with its artifact.
func TestMemoryModeIsBounded(t *testing.T) {
	t.Parallel()
	s := startMemory(t, func(c *bootstrap.Config) { c.MemoryMaxFinishedTasks = 3 })
	first := s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"n": 0}}).ID, "succeeded")
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{"task_id": first.ID, "type": "log",
		"content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString([]byte("first's log"))})
	require.Equal(t, http.StatusCreated, code, string(b))
	artifact := decode[map[string]any](t, b)["id"].(string)

	for i := 1; i <= 3; i++ { // finishing one after another, so "first" finished first
		s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"n": i}}).ID, "succeeded")
	}
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+first.ID, nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+artifact+"/meta", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	require.NotEmpty(t, s.logs.Events("memory_tasks_evicted"))

	code, b, _ = s.Call(t, http.MethodGet, "/tasks?status=succeeded", nil)
	require.Equal(t, http.StatusOK, code)
	require.Len(t, decode[map[string][]any](t, b)["tasks"], 3)
}
