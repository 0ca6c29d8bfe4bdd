package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIdempotencyKeyReusedWithAnotherRequestIs409(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.batch = true })
	first := r.do("POST", "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "a"}, "idempotency_key": "k1"})
	require.Equal(t, http.StatusAccepted, first.StatusCode, string(first.body))
	id := first.json(t)["id"].(string)

	again := r.do("POST", "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "a"}, "idempotency_key": "k1"})
	require.Equal(t, http.StatusOK, again.StatusCode, "the same request replays")
	require.Equal(t, id, again.json(t)["id"])

	for name, body := range map[string]map[string]any{
		"params": {"type": "echo", "params": map[string]any{"msg": "b"}, "idempotency_key": "k1"},
		"option": {"type": "echo", "params": map[string]any{"msg": "a"}, "idempotency_key": "k1", "max_retries": 3},
	} {
		resp := r.do("POST", "/tasks", body)
		require.Equal(t, http.StatusConflict, resp.StatusCode, name)
		require.Equal(t, "idempotency_key_conflict", resp.errorCode(t), name)
		require.Equal(t, "idempotency_key", resp.errorField(t), name)
		require.Equal(t, id, resp.json(t)["error"].(map[string]any)["details"].(map[string]any)["task_id"], name)
	}

	// A shortcut is a task request like any other: another type under the key conflicts.
	shortcut := r.do("POST", "/search", map[string]any{"query": "go", "idempotency_key": "k1"})
	require.Equal(t, http.StatusConflict, shortcut.StatusCode, string(shortcut.body))
	require.Equal(t, "idempotency_key_conflict", shortcut.errorCode(t))

	batch := r.do("POST", "/tasks/batch", map[string]any{"tasks": []any{
		map[string]any{"type": "echo", "params": map[string]any{"msg": "a"}, "idempotency_key": "k1"},
		map[string]any{"type": "echo", "params": map[string]any{"msg": "z"}, "idempotency_key": "k1"},
	}})
	require.Equal(t, http.StatusConflict, batch.StatusCode, string(batch.body))
	require.Equal(t, "idempotency_key_conflict", batch.errorCode(t))
	require.EqualValues(t, 1, batch.json(t)["error"].(map[string]any)["details"].(map[string]any)["index"])

	list := r.do("GET", "/tasks", nil)
	require.Len(t, list.json(t)["tasks"], 1, "no conflict created anything")
}
