package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// flowNUL: a NUL (the JSON escape \u0000) anywhere it could reach the store is a 422
// naming the field in both modes alike; PostgreSQL cannot hold one, and services mode
// used to answer 500 where memory mode stored it. An escaped backslash before "u0000" is
// text, and round-trips through either store unchanged.
func flowNUL(t *testing.T, start starter) {
	s := start(t, nil)
	cases := []struct{ name, path, body, field string }{
		{"params", "/tasks", `{"type":"echo","params":{"msg":"a\u0000b"}}`, "params.msg"},
		{"params key", "/tasks", `{"type":"echo","params":{"list":[{"\u0000":1}]}}`, "params.list[0]"},
		{"lone surrogate", "/tasks", `{"type":"echo","params":{"msg":"\ud800"}}`, "params.msg"},
		{"idempotency_key", "/tasks", `{"type":"echo","idempotency_key":"k\u0000"}`, "idempotency_key"},
		{"search query", "/search", `{"query":"go\u0000"}`, "query"},
		{"batch queries", "/search/batch", `{"queries":["a","\u0000"]}`, "queries[1]"},
		{"fetch url", "/fetch", `{"url":"https://example.com/\u0000"}`, "url"},
		{"artifact type", "/artifacts", `{"type":"log\u0000","content_type":"text/plain","data_base64":""}`, "type"},
		{"artifact content_type", "/artifacts", `{"type":"log","content_type":"text/plain; x=\"\u0000\"","data_base64":""}`, "content_type"},
		{"artifact metadata", "/artifacts", `{"type":"log","content_type":"text/plain","data_base64":"","metadata":{"a":{"b":"\u0000"}}}`, "metadata.a.b"},
	}
	for _, tc := range cases {
		code, b, _ := s.Call(t, http.MethodPost, tc.path, tc.body)
		t.Run(tc.name, func(t *testing.T) {
			expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", tc.field)
		})
	}
	code, b, _ := s.Call(t, http.MethodGet, "/tasks", nil)
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, decode[struct {
		Tasks []json.RawMessage `json:"tasks"`
	}](t, b).Tasks, "nothing was half-written")

	tk := s.submit(t, "/tasks", `{"type":"echo","params":{"msg":"\\u0000","\\u0000":"\ud83d\ude00"},"idempotency_key":"\\u0000"}`)
	done := s.wait(t, tk.ID, "succeeded")
	want := `{"msg":"\\u0000","\\u0000":"😀"}`
	require.JSONEq(t, want, string(done.Params))
	require.JSONEq(t, want, string(done.Result))
}
