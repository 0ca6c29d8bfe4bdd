package httpapi_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

// createArtifact stores data and returns its metadata.
func (r *rig) createArtifact(data, taskID string) map[string]any {
	r.t.Helper()
	body := map[string]any{"type": "log", "content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString([]byte(data))}
	if taskID != "" {
		body["task_id"] = taskID
	}
	resp := r.do("POST", "/artifacts", body)
	require.Equal(r.t, http.StatusCreated, resp.StatusCode, string(resp.body))
	return resp.json(r.t)
}

func TestArtifactRoundTrip(t *testing.T) {
	t.Parallel()
	r := setup(t)
	taskID := r.submitEcho("x")
	meta := r.createArtifact("hello world", taskID)
	sum := sha256.Sum256([]byte("hello world"))
	require.Equal(t, hex.EncodeToString(sum[:]), meta["sha256"])
	require.EqualValues(t, 11, meta["size_bytes"])
	require.Equal(t, taskID, meta["task_id"])
	require.Equal(t, map[string]any{}, meta["metadata"])
	require.Regexp(t, timeRE, meta["created_at"])
	id := meta["id"].(string)

	got := r.do("GET", "/artifacts/"+id+"/meta", nil)
	require.Equal(t, http.StatusOK, got.StatusCode)
	require.Equal(t, meta, got.json(t))

	list := r.do("GET", "/tasks/"+taskID+"/artifacts", nil)
	require.Equal(t, http.StatusOK, list.StatusCode)
	require.Equal(t, map[string]any{"artifacts": []any{meta}}, list.json(t))

	bytes := r.do("GET", "/artifacts/"+id, nil)
	require.Equal(t, http.StatusOK, bytes.StatusCode)
	require.Equal(t, "hello world", string(bytes.body))
	require.Equal(t, "text/plain", bytes.Header.Get("Content-Type"))
	require.Equal(t, "11", bytes.Header.Get("Content-Length"))
	require.Equal(t, `"`+meta["sha256"].(string)+`"`, bytes.Header.Get("ETag"))
	require.Equal(t, "bytes", bytes.Header.Get("Accept-Ranges"))
	require.Equal(t, "nosniff", bytes.Header.Get("X-Content-Type-Options"))
}

func TestFreeStandingArtifactHasNullTaskAndKeepsMetadata(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/artifacts", map[string]any{"type": "note", "content_type": "application/json",
		"data_base64": "e30", "metadata": map[string]any{"source": "test"}}) // unpadded base64 of {}
	require.Equal(t, http.StatusCreated, resp.StatusCode, string(resp.body))
	meta := resp.json(t)
	require.Nil(t, meta["task_id"])
	require.Contains(t, meta, "task_id")
	require.Equal(t, map[string]any{"source": "test"}, meta["metadata"])
	require.EqualValues(t, 2, meta["size_bytes"])
	require.Equal(t, "/artifacts/"+meta["id"].(string)+"/meta", resp.Header.Get("Location"))
}

func TestArtifactValidation(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for name, tc := range map[string]struct {
		body   map[string]any
		status int
		field  string
	}{
		"no data":        {map[string]any{"type": "log", "content_type": "text/plain"}, 422, "data_base64"},
		"no type":        {map[string]any{"content_type": "text/plain", "data_base64": ""}, 422, "type"},
		"bad media type": {map[string]any{"type": "log", "content_type": "not a type", "data_base64": ""}, 422, "content_type"},
		"unknown task":   {map[string]any{"type": "log", "content_type": "text/plain", "data_base64": "", "task_id": "0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b"}, 422, "task_id"},
		"malformed task": {map[string]any{"type": "log", "content_type": "text/plain", "data_base64": "", "task_id": "nope"}, 422, "task_id"},
		"base64 garbage": {map[string]any{"type": "log", "content_type": "text/plain", "data_base64": "a$b="}, 400, "data_base64"},
	} {
		resp := r.do("POST", "/artifacts", tc.body)
		require.Equal(t, tc.status, resp.StatusCode, "%s: %s", name, resp.body)
		require.Equal(t, tc.field, resp.errorField(t), name)
	}
}

func TestOversizedArtifactIs413AndLogged(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.limits.TaskMaxArtifactMB = 1 })
	data := strings.Repeat("x", 1<<20+1)
	resp := r.do("POST", "/artifacts", map[string]any{"type": "log", "content_type": "text/plain",
		"data_base64": base64.StdEncoding.EncodeToString([]byte(data))})
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Equal(t, "artifact_size_exceeded", resp.errorCode(t))
	require.NotEmpty(t, r.logs.Events("artifact_rejected"))
}

func TestOversizedBodyIs413(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.cfg = func(hc *httpapi.Config) { hc.BodyLimitBytes = 1024 } })
	r.goLive()
	resp := r.do("POST", "/tasks", `{"type":"echo","params":{"pad":"`+strings.Repeat("x", 2048)+`"}}`, "X-Request-ID", "big-body-1")
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	require.Equal(t, "artifact_size_exceeded", resp.errorCode(t))
	require.Equal(t, "big-body-1", resp.Header.Get("X-Request-ID"))
}

func TestUnknownArtifactsAre404(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for _, path := range []string{"/artifacts/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b", "/artifacts/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b/meta", "/artifacts/zzz"} {
		resp := r.do("GET", path, nil)
		require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		require.Equal(t, "artifact_not_found", resp.errorCode(t), path)
	}
}

func TestArtifactRanges(t *testing.T) {
	t.Parallel()
	r := setup(t)
	meta := r.createArtifact("hello world", "")
	path := "/artifacts/" + meta["id"].(string)
	etag := `"` + meta["sha256"].(string) + `"`

	for rng, want := range map[string]struct {
		body, contentRange string
	}{
		"bytes=0-4":   {"hello", "bytes 0-4/11"},
		"bytes=6-":    {"world", "bytes 6-10/11"},
		"bytes=-5":    {"world", "bytes 6-10/11"},
		"bytes=6-100": {"world", "bytes 6-10/11"},
		"bytes=-100":  {"hello world", "bytes 0-10/11"},
		"bytes=10-10": {"d", "bytes 10-10/11"},
	} {
		resp := r.do("GET", path, nil, "Range", rng)
		require.Equal(t, http.StatusPartialContent, resp.StatusCode, rng)
		require.Equal(t, want.body, string(resp.body), rng)
		require.Equal(t, want.contentRange, resp.Header.Get("Content-Range"), rng)
		require.Equal(t, etag, resp.Header.Get("ETag"), rng)
	}

	for _, rng := range []string{"bytes=11-", "bytes=20-30", "bytes=-0"} {
		resp := r.do("GET", path, nil, "Range", rng)
		require.Equal(t, http.StatusRequestedRangeNotSatisfiable, resp.StatusCode, rng)
		require.Equal(t, "bytes */11", resp.Header.Get("Content-Range"), rng)
		require.Equal(t, "range_not_satisfiable", resp.errorCode(t), rng)
	}

	// Ignored: several ranges, another unit, nonsense, a stale If-Range.
	for _, h := range [][]string{
		{"Range", "bytes=0-1,4-5"}, {"Range", "items=0-1"}, {"Range", "bytes=5-2"}, {"Range", "bytes=x-"},
		{"Range", "bytes=0-4", "If-Range", `"stale"`},
	} {
		resp := r.do("GET", path, nil, h...)
		require.Equal(t, http.StatusOK, resp.StatusCode, h)
		require.Equal(t, "hello world", string(resp.body), h)
		require.Empty(t, resp.Header.Get("Content-Range"), h)
	}

	current := r.do("GET", path, nil, "Range", "bytes=0-4", "If-Range", etag)
	require.Equal(t, http.StatusPartialContent, current.StatusCode)
}

func TestArtifactETagGives304(t *testing.T) {
	t.Parallel()
	r := setup(t)
	meta := r.createArtifact("cache me", "")
	path := "/artifacts/" + meta["id"].(string)
	etag := `"` + meta["sha256"].(string) + `"`
	for _, inm := range []string{etag, `"other", ` + etag, "W/" + etag, "*"} {
		resp := r.do("GET", path, nil, "If-None-Match", inm)
		require.Equal(t, http.StatusNotModified, resp.StatusCode, inm)
		require.Empty(t, resp.body, inm)
		require.Equal(t, etag, resp.Header.Get("ETag"), inm)
	}
	miss := r.do("GET", path, nil, "If-None-Match", `"other"`)
	require.Equal(t, http.StatusOK, miss.StatusCode)
	require.Equal(t, "cache me", string(miss.body))
}

func TestEmptyArtifact(t *testing.T) {
	t.Parallel()
	r := setup(t)
	meta := r.createArtifact("", "")
	path := "/artifacts/" + meta["id"].(string)
	whole := r.do("GET", path, nil)
	require.Equal(t, http.StatusOK, whole.StatusCode)
	require.Empty(t, whole.body)
	rng := r.do("GET", path, nil, "Range", "bytes=0-")
	require.Equal(t, http.StatusRequestedRangeNotSatisfiable, rng.StatusCode)
	require.Equal(t, "bytes */0", rng.Header.Get("Content-Range"))
}

func TestArtifactHEAD(t *testing.T) {
	t.Parallel()
	r := setup(t)
	meta := r.createArtifact("hello world", "")
	req := httptest.NewRequest(http.MethodHead, "/artifacts/"+meta["id"].(string), nil)
	resp, err := r.srv.App().Test(req, 10_000)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Empty(t, body)
	require.EqualValues(t, 11, resp.ContentLength)
	require.Equal(t, `"`+meta["sha256"].(string)+`"`, resp.Header.Get("ETag"))
	r.v.Check(t, req, nil, resp, body) // HEAD responses are not body-checked by kin-openapi
}
