package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A NUL (U+0000; in JSON only ever the escape \u0000) is refused wherever it could reach
// the store, with the 422 a bad value gets and the field named as the client sent it.
// PostgreSQL cannot hold one, so without this services mode answered 500 where memory
// mode stored the task.

func TestNULInATaskIs422NamingTheField(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for name, tc := range map[string]struct{ body, field string }{
		"params value":     {`{"type":"echo","params":{"msg":"a\u0000b"}}`, "params.msg"},
		"params deep":      {`{"type":"echo","params":{"a":{"b":[1,"ok",{"c":"\u0000"}]}}}`, "params.a.b[2].c"},
		"params key":       {`{"type":"echo","params":{"a":{"k\u0000":1}}}`, "params.a"},
		"sleep params":     {`{"type":"sleep","params":{"seconds":1,"\u0000":1}}`, "params"},
		"fetch_url params": {`{"type":"fetch_url","params":{"url":"https://example.com/\u0000"}}`, "params.url"},
		"idempotency_key":  {`{"type":"echo","idempotency_key":"k\u0000"}`, "idempotency_key"},
		"lone surrogate":   {`{"type":"echo","params":{"msg":"\ud800"}}`, "params.msg"},
		"not UTF-8":        {"{\"type\":\"echo\",\"params\":{\"msg\":\"\xff\"}}", "params.msg"},
	} {
		resp := r.do("POST", "/tasks", tc.body)
		resp.requireInvalidParams(t, tc.field, name)
	}
	list := r.do("GET", "/tasks", nil)
	require.Empty(t, list.json(t)["tasks"], "a refused submit leaves no record")
}

func TestEscapedBackslashBeforeU0000IsNotANUL(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("POST", "/tasks", `{"type":"echo","params":{"msg":"\\u0000","\\u0000":"\ud83d\ude00"},"idempotency_key":"\\u0000"}`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	require.Equal(t, map[string]any{"msg": `\u0000`, `\u0000`: "😀"}, resp.json(t)["params"])
}

func TestNULInAShortcutIs422NamingTheField(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for name, tc := range map[string]struct{ path, body, field string }{
		"search query":      {"/search", `{"query":"go\u0000lang"}`, "query"},
		"search sources":    {"/search", `{"query":"golang","sources":["brave\u0000"]}`, "sources[0]"},
		"search key":        {"/search", `{"query":"golang","idempotency_key":"\u0000"}`, "idempotency_key"},
		"batch queries":     {"/search/batch", `{"queries":["a","b\u0000"]}`, "queries[1]"},
		"batch key":         {"/search/batch", `{"queries":["a"],"idempotency_key":"k\u0000"}`, "idempotency_key"},
		"fetch url":         {"/fetch", `{"url":"https://example.com/\u0000"}`, "url"},
		"fetch key":         {"/fetch", `{"url":"https://example.com/","idempotency_key":"\u0000k"}`, "idempotency_key"},
		"search surrogates": {"/search", `{"query":"\udc00"}`, ""}, // decoding made it U+FFFD: harmless, accepted
	} {
		resp := r.do("POST", tc.path, tc.body)
		if tc.field == "" {
			require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s: %s", name, resp.body)
			continue
		}
		resp.requireInvalidParams(t, tc.field, name)
		require.Contains(t, resp.errorMessage(t), "NUL", name)
	}
}

func TestNULInAnArtifactIs422NamingTheField(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for name, tc := range map[string]struct{ body, field string }{
		"type":          {`{"type":"log\u0000","content_type":"text/plain","data_base64":""}`, "type"},
		"content_type":  {`{"type":"log","content_type":"text/plain; charset=\"\u0000\"","data_base64":""}`, "content_type"},
		"metadata":      {`{"type":"log","content_type":"text/plain","data_base64":"","metadata":{"a":["\u0000"]}}`, "metadata.a[0]"},
		"metadata key":  {`{"type":"log","content_type":"text/plain","data_base64":"","metadata":{"\u0000":1}}`, "metadata"},
		"metadata UTF8": {"{\"type\":\"log\",\"content_type\":\"text/plain\",\"data_base64\":\"\",\"metadata\":{\"a\":\"\xc3\"}}", "metadata.a"},
	} {
		resp := r.do("POST", "/artifacts", tc.body)
		resp.requireInvalidParams(t, tc.field, name)
	}
}
