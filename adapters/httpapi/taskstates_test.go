package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// finish moves a submitted task through the worker's transitions, as a worker would.
func (r *rig) finish(id string, fn func(t *domain.Task, now time.Time) error) {
	r.t.Helper()
	_, err := r.store.Update(r.t.Context(), id, func(t *domain.Task) error {
		now := t.CreatedAt.Add(1500 * time.Millisecond)
		if err := t.Start("d", now); err != nil {
			return err
		}
		return fn(t, now.Add(250*time.Microsecond))
	})
	require.NoError(r.t, err)
}

// run runs a submitted task with the rig's real handler for its type and returns the end
// the worker would give it: succeeded with the handler's result, or failed with its error.
// The handler runs before finish takes the store's lock (it writes artifacts, which look
// the task up).
func (r *rig) run(id string) func(*domain.Task, time.Time) error {
	r.t.Helper()
	task, err := r.store.Get(r.t.Context(), id)
	require.NoError(r.t, err)
	result, runErr := r.handlers[task.Type].Run(r.t.Context(), task)
	if runErr != nil {
		var de *domain.Error
		require.True(r.t, errors.As(runErr, &de), "a handler fails with a domain error: %v", runErr)
		return func(t *domain.Task, now time.Time) error {
			return t.Fail(domain.TaskError{Code: de.Code, Message: de.Message}, now)
		}
	}
	return func(t *domain.Task, now time.Time) error { return t.Succeed(result, now) }
}

// TestFinishedTasksMatchTheirTypesSchemas renders tasks in every end state and lets the
// validator check each type's result schema. Echo, search and search_batch results are
// what the real handlers make (search over the demo provider, with brave allowed but not
// configured), so the document is checked against the shapes the code really writes, not
// against shapes a test made up.
func TestFinishedTasksMatchTheirTypesSchemas(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.realSearch = true
		c.limits.SearchSourceAllowlist = []string{domain.SourceBrave, domain.SourceDemo}
	})
	submit := func(body string) string {
		resp := r.do("POST", "/tasks", body)
		require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
		return resp.json(t)["id"].(string)
	}
	succeed := func(result string) func(*domain.Task, time.Time) error {
		return func(t *domain.Task, now time.Time) error { return t.Succeed(json.RawMessage(result), now) }
	}
	// In order: the later searches reuse what the earlier ones cached.
	cases := []struct {
		name   string
		submit string
		end    func(*domain.Task, time.Time) error // nil: run the real handler
		check  func(t *testing.T, task map[string]any)
	}{
		{name: "echo", submit: `{"type":"echo","params":{"msg":"hi"}}`},
		{name: "sleep", submit: `{"type":"sleep","params":{"seconds":1}}`, end: succeed(`{"slept_seconds":1}`)},
		{name: "search, one source failing", submit: `{"type":"search","params":{"query":"go","sources":["demo","brave"]}}`,
			check: func(t *testing.T, task map[string]any) {
				p := providers(t, task)
				requireReport(t, p, "demo", "ok")
				require.Positive(t, p["demo"]["result_count"])
				requireReport(t, p, "brave", "error")
				require.Equal(t, string(domain.CodeProviderNotConfigured), p["brave"]["error"].(map[string]any)["code"])
			}},
		{name: "search, answer from the cache", submit: `{"type":"search","params":{"query":"go","sources":["demo","brave"]}}`,
			check: func(t *testing.T, task map[string]any) {
				requireReport(t, providers(t, task), "demo", "cached")
				require.Equal(t, false, task["result"].(map[string]any)["cached"], "brave failed again, so not all cached")
			}},
		{name: "search, all cached", submit: `{"type":"search","params":{"query":"go","sources":["demo"]}}`,
			check: func(t *testing.T, task map[string]any) {
				requireReport(t, providers(t, task), "demo", "cached")
				require.Equal(t, true, task["result"].(map[string]any)["cached"])
			}},
		{name: "search, every source failing", submit: `{"type":"search","params":{"query":"go","sources":["brave"]}}`,
			check: func(t *testing.T, task map[string]any) {
				require.Equal(t, "failed", task["status"])
				require.Equal(t, string(domain.CodeProviderNotConfigured), task["error"].(map[string]any)["code"])
			}},
		{name: "search_batch", submit: `{"type":"search_batch","params":{"queries":["go","rust"],"sources":["demo","brave"]}}`,
			check: func(t *testing.T, task map[string]any) {
				res := task["result"].(map[string]any)
				require.EqualValues(t, 2, res["query_count"])
				require.EqualValues(t, 0, res["failed_count"])
				require.Len(t, res["artifact_ids"], 3, "two queries and the batch")
			}},
		{name: "fetch_url", submit: `{"type":"fetch_url","params":{"url":"https://example.com"}}`, end: succeed(`{"artifact_ids":[],
			"title":"Example","final_url":"https://example.com/","cached":true}`)},
		{name: "failed", submit: `{"type":"sleep","params":{"seconds":9}}`, end: func(t *domain.Task, now time.Time) error {
			return t.Fail(domain.TaskError{Code: domain.CodeTaskRuntimeExceeded, Message: "killed"}, now)
		}},
		{name: "running", submit: `{"type":"sleep","params":{"seconds":9}}`, end: func(*domain.Task, time.Time) error { return nil }},
	}
	checked := 0
	for _, tc := range cases {
		id := submit(tc.submit)
		end := tc.end
		if end == nil {
			end = r.run(id)
		}
		r.finish(id, end)
		resp := r.do("GET", "/tasks/"+id, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, tc.name)
		task := resp.json(t)
		require.Equal(t, "2025-01-02T03:04:06.623456Z", task["started_at"], tc.name)
		require.EqualValues(t, 1, task["attempts"], tc.name)
		if tc.check != nil {
			t.Run(tc.name, func(t *testing.T) { tc.check(t, task) })
		}
		checked += r.checkSearchArtifacts(task)
	}
	require.Equal(t, 1+1+1+3, checked, "artifacts of the succeeded searches and the batch")

	// A running task's cancel answers 200 with the task still running.
	id := submit(`{"type":"sleep","params":{"seconds":9}}`)
	r.finish(id, func(*domain.Task, time.Time) error { return nil })
	resp := r.do("POST", "/tasks/"+id+"/cancel", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "running", resp.json(t)["status"])
}

// providers returns a search task's result.providers, by source.
func providers(t *testing.T, task map[string]any) map[string]map[string]any {
	t.Helper()
	res, ok := task["result"].(map[string]any)
	require.True(t, ok, "no result in %v", task)
	out := map[string]map[string]any{}
	for src, rep := range res["providers"].(map[string]any) {
		out[src] = rep.(map[string]any)
	}
	return out
}

func requireReport(t *testing.T, p map[string]map[string]any, source, status string) {
	t.Helper()
	require.Contains(t, p, source)
	require.Equal(t, status, p[source]["status"], "%s: %v", source, p[source])
}

// checkSearchArtifacts downloads the artifacts a succeeded search or search_batch task
// names and validates each against the document's schema of its kind (the providers
// section there is the task result's). It returns how many it checked.
func (r *rig) checkSearchArtifacts(task map[string]any) int {
	r.t.Helper()
	if task["status"] != "succeeded" || (task["type"] != "search" && task["type"] != "search_batch") {
		return 0
	}
	schemas := map[string]string{
		"search_results/v1":       "SearchResultsDocument",
		"search_batch_results/v1": "SearchBatchResultsDocument",
	}
	ids := task["result"].(map[string]any)["artifact_ids"].([]any)
	require.NotEmpty(r.t, ids)
	for _, id := range ids {
		got := r.do("GET", "/artifacts/"+id.(string), nil)
		require.Equal(r.t, http.StatusOK, got.StatusCode)
		require.Equal(r.t, "application/json", got.Header.Get("Content-Type"))
		var doc struct {
			Schema string `json:"schema"`
		}
		require.NoError(r.t, json.Unmarshal(got.body, &doc))
		schema, ok := schemas[doc.Schema]
		require.True(r.t, ok, "artifact %s has schema %q", id, doc.Schema)
		r.v.CheckSchema(r.t, schema, got.body)
	}
	return len(ids)
}
