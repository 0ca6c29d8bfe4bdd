package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

func flowAuth(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.APITokens = []string{"secret-one", "secret-two"} })
	code, _, _ := s.Call(t, http.MethodGet, "/tasks", nil)
	require.Equal(t, http.StatusOK, code)
	code, b, h := s.Call(t, http.MethodGet, "/tasks", nil, "Authorization", "")
	expectError(t, code, b, http.StatusUnauthorized, "unauthorized", "")
	require.Contains(t, h.Get("WWW-Authenticate"), "Bearer")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "echo"}, "Authorization", "Bearer wrong")
	expectError(t, code, b, http.StatusUnauthorized, "unauthorized", "")
	code, _, _ = s.Call(t, http.MethodGet, "/tasks", nil, "Authorization", "Bearer secret-two")
	require.Equal(t, http.StatusOK, code)
	code, _, _ = s.Call(t, http.MethodGet, "/health", nil, "Authorization", "")
	require.Equal(t, http.StatusOK, code)
	code, _, _ = s.Call(t, http.MethodGet, "/openapi.json", nil, "Authorization", "")
	require.Equal(t, http.StatusOK, code)

	// Idempotency keys belong to the token that used them: another token's identical key
	// makes its own task instead of reading the first one's.
	keyed := map[string]any{"type": "echo", "params": map[string]any{"who": "one"}, "idempotency_key": "shared-key"}
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed)
	require.Equal(t, http.StatusAccepted, code, string(b))
	first := decode[task](t, b)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed, "Authorization", "Bearer secret-two")
	require.Equal(t, http.StatusAccepted, code, string(b))
	require.NotEqual(t, first.ID, decode[task](t, b).ID)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", keyed)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, first.ID, decode[task](t, b).ID)
	require.NotContains(t, s.logs.String(), "secret-one")
}

func flowBadInput(t *testing.T, start starter) {
	s := start(t, nil)
	cases := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"malformed", `{"type":`, 400, "invalid_request", ""},
		{"not an object", `[1,2]`, 400, "invalid_request", ""},
		{"type wrong type", `{"type":5}`, 400, "invalid_request", "type"},
		{"unknown type", `{"type":"launch_rockets"}`, 400, "invalid_request", "type"},
		{"missing type", `{"params":{}}`, 400, "invalid_request", "type"},
		{"unknown field", `{"type":"echo","colour":"red"}`, 400, "invalid_request", "colour"},
		{"params not object", `{"type":"echo","params":"hi"}`, 400, "invalid_request", "params"},
		{"timeout string", `{"type":"echo","timeout_seconds":"10"}`, 400, "invalid_request", "timeout_seconds"},
		{"negative timeout", `{"type":"echo","timeout_seconds":-1}`, 422, "task_rejected_invalid_params", "timeout_seconds"},
		{"huge timeout", `{"type":"echo","timeout_seconds":99999999}`, 422, "task_rejected_invalid_params", "timeout_seconds"},
		{"retries too many", `{"type":"echo","max_retries":11}`, 422, "task_rejected_invalid_params", "max_retries"},
		{"retries negative", `{"type":"echo","max_retries":-1}`, 422, "task_rejected_invalid_params", "max_retries"},
		{"sleep negative", `{"type":"sleep","params":{"seconds":-2}}`, 422, "task_rejected_invalid_params", "params.seconds"},
		{"sleep missing", `{"type":"sleep","params":{}}`, 422, "task_rejected_invalid_params", "params.seconds"},
		{"trailing garbage", `{"type":"echo"} {}`, 400, "invalid_request", ""},
	}
	for _, tc := range cases {
		code, b, _ := s.Call(t, http.MethodPost, "/tasks", tc.body)
		t.Run(tc.name, func(t *testing.T) {
			expectError(t, code, b, tc.status, tc.code, tc.field)
		})
	}
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"***"}`)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "data_base64")
	code, b, _ = s.Call(t, http.MethodPost, "/artifacts", fmt.Sprintf(`{"task_id":%q,"type":"log","content_type":"text/plain","data_base64":""}`, "00000000-0000-7000-8000-000000000000"))
	require.Contains(t, []int{404, 422}, code, string(b))
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/nope", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/00000000-0000-7000-8000-000000000000/cancel", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")

	// Nothing was half-written: no task exists after all those refusals.
	code, b, _ = s.Call(t, http.MethodGet, "/tasks", nil)
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, decode[struct {
		Tasks []json.RawMessage `json:"tasks"`
	}](t, b).Tasks)
}

func flowUnknownRoutes(t *testing.T, start starter) {
	s := start(t, nil)
	req, err := http.NewRequest(http.MethodGet, s.URL+"/no/such/route", nil)
	require.NoError(t, err)
	resp, err := s.HTTP.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func flowRequestID(t *testing.T, start starter) {
	s := start(t, nil)
	_, _, h := s.Call(t, http.MethodGet, "/health", nil, "X-Request-ID", "my-request-42")
	require.Equal(t, "my-request-42", h.Get("X-Request-ID"))
	_, _, h = s.Call(t, http.MethodGet, "/tasks/nope", nil)
	require.NotEmpty(t, h.Get("X-Request-ID"))

	// The services' own events carry the request id of the request that caused them.
	code, b, _ := s.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}}, "X-Request-ID", "submit-7")
	require.Equal(t, http.StatusAccepted, code, string(b))
	id := decode[task](t, b).ID
	found := false
	for _, e := range s.logs.Events("task_submitted") {
		if e["task_id"] == id {
			require.Equal(t, "submit-7", e["request_id"])
			found = true
		}
	}
	require.True(t, found, "no task_submitted event for %s", id)
}
