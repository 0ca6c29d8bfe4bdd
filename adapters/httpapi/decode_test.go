package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMalformedBodiesAre400NamingTheField(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for name, tc := range map[string]struct {
		path, body, field, message string
	}{
		"not json":          {"/tasks", `{"type":`, "", "not valid JSON"},
		"syntax error":      {"/tasks", `{"type": echo}`, "", "not valid JSON"},
		"empty body":        {"/tasks", ``, "", "empty"},
		"blank body":        {"/tasks", "  \n", "", "empty"},
		"array body":        {"/tasks", `[{"type":"echo"}]`, "", "JSON object"},
		"string body":       {"/tasks", `"echo"`, "", "JSON object"},
		"trailing garbage":  {"/tasks", `{"type":"echo"} {"type":"echo"}`, "", "after the JSON object"},
		"timeout string":    {"/tasks", `{"type":"echo","timeout_seconds":"10"}`, "timeout_seconds", "timeout_seconds must be an integer"},
		"timeout fraction":  {"/tasks", `{"type":"echo","timeout_seconds":1.5}`, "timeout_seconds", "timeout_seconds must be an integer"},
		"retries bool":      {"/tasks", `{"type":"echo","max_retries":true}`, "max_retries", "max_retries must be an integer"},
		"type number":       {"/tasks", `{"type":5}`, "type", "type must be a string"},
		"params array":      {"/tasks", `{"type":"echo","params":[1]}`, "params", "params must be a JSON object"},
		"unknown field":     {"/tasks", `{"type":"echo","colour":1}`, "colour", `unknown field "colour"`},
		"search query num":  {"/search", `{"query":5}`, "query", "query must be a string"},
		"search sources":    {"/search", `{"query":"go","sources":"brave"}`, "sources", "sources must be an array of strings"},
		"search source num": {"/search", `{"query":"go","sources":["brave",1]}`, "sources", "sources must be an array of strings"},
		"search unknown":    {"/search", `{"query":"go","engine":"x"}`, "engine", `unknown field "engine"`},
		"batch queries":     {"/search/batch", `{"queries":"go"}`, "queries", "queries must be an array of strings"},
		"fetch url num":     {"/fetch", `{"url":1}`, "url", "url must be a string"},
		"fetch reader":      {"/fetch", `{"url":"https://example.com","reader_mode":"yes"}`, "reader_mode", "reader_mode must be a boolean"},
		"artifact base64":   {"/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"%%%"}`, "data_base64", "data_base64"},
		"artifact metadata": {"/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"","metadata":[1]}`, "metadata", "metadata must be a JSON object"},
		"artifact unknown":  {"/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"","data":"x"}`, "data", `unknown field "data"`},
	} {
		resp := r.do("POST", tc.path, tc.body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", name, resp.body)
		require.Equal(t, "invalid_request", resp.errorCode(t), name)
		require.Equal(t, tc.field, resp.errorField(t), name)
		require.Contains(t, resp.errorMessage(t), tc.message, name)
	}
}

func TestNonJSONContentTypeIs415(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", `{"type":"echo"}`, "Content-Type", "text/plain")
	require.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	require.Equal(t, "unsupported_media_type", resp.errorCode(t))
	require.Contains(t, resp.errorMessage(t), "Content-Type")
	require.Equal(t, "Content-Type", resp.json(t)["error"].(map[string]any)["details"].(map[string]any)["header"])

	for _, path := range []string{"/tasks", "/tasks/batch", "/search", "/search/batch", "/fetch", "/artifacts", "/schedules"} {
		form := r.do("POST", path, `{"type":"echo"}`, "Content-Type", "application/x-www-form-urlencoded")
		require.Equal(t, http.StatusUnsupportedMediaType, form.StatusCode, path)
		require.Equal(t, "unsupported_media_type", form.errorCode(t), path)
	}

	gz := r.do("POST", "/tasks", `{"type":"echo"}`, "Content-Encoding", "gzip")
	require.Equal(t, http.StatusUnsupportedMediaType, gz.StatusCode)
	require.Contains(t, gz.errorMessage(t), "Content-Encoding")
}

func TestJSONMediaTypesAndMissingContentTypeAreAccepted(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", `{"type":"echo"}`, "Content-Type", "application/json; charset=utf-8")
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))

	// Without Content-Type (curl -d without -H) the body is still read as JSON. The
	// document cannot say "no Content-Type", so this exchange skips the validator.
	req := httptest.NewRequest("POST", "/tasks", strings.NewReader(`{"type":"echo"}`))
	res, err := r.srv.App().Test(req, 10_000)
	require.NoError(t, err)
	require.Equal(t, http.StatusAccepted, res.StatusCode)
	require.NoError(t, res.Body.Close())

	plus := r.do("POST", "/tasks", `{"type":"echo"}`, "Content-Type", "application/vnd.other+json")
	require.Equal(t, http.StatusUnsupportedMediaType, plus.StatusCode)
}
