package openapitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/test/openapitest"
)

// recorder is a testing.TB that keeps Errorf calls instead of failing.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

const taskID = "0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b"

// okReport is a source's report in a search that answered.
const okReport = `{"status":"ok","result_count":0,"latency_ms":0,"attempts":1}`

func taskJSON(typ, result string) string {
	return `{"id":"` + taskID + `","type":"` + typ + `","status":"succeeded","params":{"query":"go"},"result":` + result +
		`,"error":null,"attempts":1,"max_retries":0,"timeout_seconds":600,"created_at":"2025-01-02T03:04:05.123456Z",` +
		`"updated_at":"2025-01-02T03:04:05.123456Z","started_at":null,"finished_at":null,"run_at":null,"priority":2,"parent_id":null,"callback":null,"schedule_id":null,` +
		`"retry_of":null,"worker":null,"heartbeat_at":null,"cancel_requested":false,"progress":null}`
}

func exchange(method, path, reqBody string, status int, respBody string, headers ...string) (*http.Request, *http.Response) {
	req := httptest.NewRequest(method, path, strings.NewReader(reqBody))
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "application/json")
	rec.Header().Set("X-Request-ID", "r-1")
	for i := 0; i+1 < len(headers); i += 2 {
		rec.Header().Set(headers[i], headers[i+1])
	}
	rec.WriteHeader(status)
	_, _ = rec.WriteString(respBody)
	return req, rec.Result()
}

func TestCheck(t *testing.T) {
	t.Parallel()
	v := openapitest.Validator(t, httpapi.OpenAPIDocument())
	for name, tc := range map[string]struct {
		method, path, reqBody string
		status                int
		respBody              string
		headers               []string
		wantErr               string // "" when the exchange is valid
	}{
		"valid task": {"GET", "/tasks/" + taskID, "", 200,
			taskJSON("search", `{"artifact_ids":[],"result_count":0,"cached":false,"providers":{"demo":`+okReport+`}}`), nil, ""},
		"provider report of another shape": {"GET", "/tasks/" + taskID, "", 200,
			taskJSON("search", `{"artifact_ids":[],"result_count":0,"cached":false,"providers":{"brave":{"ok":true,"count":3}}}`), nil, "status"},
		"failed provider without its error": {"GET", "/tasks/" + taskID, "", 200,
			taskJSON("search", `{"artifact_ids":[],"result_count":0,"cached":false,"providers":{"brave":`+
				`{"status":"error","result_count":0,"latency_ms":3,"attempts":1}}}`), nil, "doesn't match"},
		"search without providers": {"GET", "/tasks/" + taskID, "", 200,
			taskJSON("search", `{"artifact_ids":[],"result_count":0,"cached":false,"providers":{}}`), nil, "properties"},
		"search result missing fields": {"GET", "/tasks/" + taskID, "", 200, taskJSON("search", `{"artifact_ids":[]}`), nil, "result_count"},
		"task field missing":           {"GET", "/tasks/" + taskID, "", 200, `{"id":"` + taskID + `","type":"echo"}`, nil, "doesn't match"},
		"undeclared status":            {"GET", "/tasks/" + taskID, "", 418, `{}`, nil, "status is not supported"},
		"error body wrong":             {"GET", "/tasks/" + taskID, "", 404, `{"detail":"Not Found"}`, nil, "doesn't match"},
		"error code unknown":           {"GET", "/tasks/" + taskID, "", 404, `{"error":{"code":"nope","message":"m","details":{}}}`, nil, "doesn't match"},
		"no request id":                {"GET", "/limits", "", 200, `{}`, []string{"X-Request-ID", ""}, "X-Request-ID"},
		"accepted invalid request": {"POST", "/tasks", `{"type":"echo","bogus":1}`, 202,
			taskJSON("echo", "null"), nil, "accepted a request"},
		"rejected invalid request": {"POST", "/tasks", `{"type":"echo","bogus":1}`, 400,
			`{"error":{"code":"invalid_request","message":"unknown field","details":{"field":"bogus"}}}`, nil, ""},
		"429 without Retry-After": {"POST", "/tasks", `{"type":"echo"}`, 429,
			`{"error":{"code":"rate_limit_exceeded","message":"m","details":{}}}`, nil, "Retry-After"},
		"unknown route answered 404": {"GET", "/nope", "", 404, `{"error":{"code":"not_found","message":"m","details":{}}}`, nil, ""},
		"unknown route answered 200": {"GET", "/nope", "", 200, `{}`, nil, "no such operation"},
		"wrong method answered 405":  {"PUT", "/tasks", "", 405, `{"error":{"code":"method_not_allowed","message":"m","details":{}}}`, nil, ""},
	} {
		req, resp := exchange(tc.method, tc.path, tc.reqBody, tc.status, tc.respBody, tc.headers...)
		rec := &recorder{TB: t}
		v.Check(rec, req, []byte(tc.reqBody), resp, []byte(tc.respBody))
		require.NoError(t, resp.Body.Close())
		if tc.wantErr == "" {
			require.Empty(t, rec.errors, name)
			continue
		}
		require.Len(t, rec.errors, 1, name)
		require.Contains(t, rec.errors[0], tc.wantErr, name)
	}
}

func TestCheckSchema(t *testing.T) {
	t.Parallel()
	v := openapitest.Validator(t, httpapi.OpenAPIDocument())
	doc := func(providers string) string {
		return `{"schema":"search_results/v1","query":"go","sources":["demo"],"recency_days":7,"max_results":1,` +
			`"result_count":1,"results":[{"title":"Go","url":"https://demo.taskrunner.invalid/go/1","snippet":"",` +
			`"published_at":null,"sources":["demo"],"score":0.016,"rank":1}],"providers":` + providers +
			`,"created_at":"2026-11-28T12:00:00Z"}`
	}
	for name, tc := range map[string]struct {
		schema, body, wantErr string
	}{
		"valid":                   {"SearchResultsDocument", doc(`{"demo":` + okReport + `}`), ""},
		"report of another shape": {"SearchResultsDocument", doc(`{"demo":{"ok":true,"count":3}}`), "status"},
		"not JSON":                {"SearchResultsDocument", `{`, "not JSON"},
		"no such schema":          {"Nope", `{}`, "no schema Nope"},
	} {
		rec := &recorder{TB: t}
		v.CheckSchema(rec, tc.schema, []byte(tc.body))
		if tc.wantErr == "" {
			require.Empty(t, rec.errors, name)
			continue
		}
		require.Len(t, rec.errors, 1, name)
		require.Contains(t, rec.errors[0], tc.wantErr, name)
	}
}
