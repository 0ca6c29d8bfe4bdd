package e2e

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

func flowArtifacts(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}})
	data := []byte("Hello world")
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{
		"task_id": tk.ID, "type": "log", "content_type": "text/plain",
		"data_base64": base64.StdEncoding.EncodeToString(data), "metadata": map[string]any{"source": "e2e"},
	})
	require.Equal(t, http.StatusCreated, code, string(b))
	meta := decode[map[string]any](t, b)
	id := meta["id"].(string)
	require.Equal(t, float64(11), meta["size_bytes"])
	require.Equal(t, "64ec88ca00b268e5ba1a35678a1b5316d212f4f366b2477232534a8aeca37f3c", meta["sha256"])

	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+id+"/meta", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, tk.ID, decode[map[string]any](t, b)["task_id"])

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+id, nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, data, b)
	require.Equal(t, "text/plain", h.Get("Content-Type"))
	require.Equal(t, "11", h.Get("Content-Length"))
	etag := h.Get("ETag")
	require.Contains(t, etag, meta["sha256"])

	code, b, h = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=0-4")
	require.Equal(t, http.StatusPartialContent, code)
	require.Equal(t, "Hello", string(b))
	require.Equal(t, "bytes 0-4/11", h.Get("Content-Range"))
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=-5")
	require.Equal(t, http.StatusPartialContent, code)
	require.Equal(t, "world", string(b))
	code, _, h = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "Range", "bytes=50-60")
	require.Equal(t, http.StatusRequestedRangeNotSatisfiable, code)
	require.Equal(t, "bytes */11", h.Get("Content-Range"))
	code, _, _ = s.Call(t, http.MethodGet, "/artifacts/"+id, nil, "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, code)

	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"/artifacts", nil)
	require.Equal(t, http.StatusOK, code)
	arts := decode[struct {
		Artifacts []map[string]any `json:"artifacts"`
	}](t, b)
	require.Len(t, arts.Artifacts, 1)
	require.Equal(t, id, arts.Artifacts[0]["id"])

	// Identical bytes without a task: a second record, the same content address.
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString(data)})
	require.Equal(t, http.StatusCreated, code, string(b))
	second := decode[map[string]any](t, b)
	require.NotEqual(t, id, second["id"])
	require.Nil(t, second["task_id"])
	require.Equal(t, meta["sha256"], second["sha256"])

	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/00000000-0000-7000-8000-000000000000", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/not-an-id/meta", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/00000000-0000-7000-8000-000000000000/artifacts", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
}

func flowArtifactLimit(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.Limits.TaskMaxArtifactMB = 1 })
	big := make([]byte, 1<<20+1)
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "application/octet-stream", "data_base64": base64.StdEncoding.EncodeToString(big)})
	expectError(t, code, b, http.StatusRequestEntityTooLarge, "artifact_size_exceeded", "")
	require.NotEmpty(t, s.logs.Events("artifact_rejected"))

	exact := make([]byte, 1<<20)
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", map[string]any{"type": "log", "content_type": "application/octet-stream", "data_base64": base64.StdEncoding.EncodeToString(exact)})
	require.Equal(t, http.StatusCreated, code, string(b))

	// A body past the request limit (the base64 of the cap plus room for the JSON) is
	// refused before it is read (its Content-Length says so), and logged like any artifact
	// refused for its size.
	require.Len(t, s.logs.Events("artifact_rejected"), 1)
	huge := `{"type":"log","content_type":"text/plain","data_base64":"` + strings.Repeat("A", 1<<20*3/2) + `"}`
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", huge)
	expectError(t, code, b, http.StatusRequestEntityTooLarge, "artifact_size_exceeded", "")
	rejected := s.logs.Events("artifact_rejected")
	require.Len(t, rejected, 2)
	require.Equal(t, "request_body", rejected[1]["via"])
}
