package httpapi_test

import (
	"encoding/json"
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

// TestFinishedTasksMatchTheirTypesSchemas renders tasks in every end state and lets the
// validator check each type's result schema.
func TestFinishedTasksMatchTheirTypesSchemas(t *testing.T) {
	t.Parallel()
	r := setup(t)
	submit := func(body string) string {
		resp := r.do("POST", "/tasks", body)
		require.Equal(t, http.StatusAccepted, resp.StatusCode, string(resp.body))
		return resp.json(t)["id"].(string)
	}
	succeed := func(result string) func(*domain.Task, time.Time) error {
		return func(t *domain.Task, now time.Time) error { return t.Succeed(json.RawMessage(result), now) }
	}
	cases := map[string]struct {
		submit string
		end    func(*domain.Task, time.Time) error
	}{
		"echo":  {`{"type":"echo","params":{"msg":"hi"}}`, succeed(`{"msg":"hi"}`)},
		"sleep": {`{"type":"sleep","params":{"seconds":1}}`, succeed(`{"slept_seconds":1}`)},
		"search": {`{"type":"search","params":{"query":"go"}}`, succeed(`{"artifact_ids":["0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b"],
			"result_count":3,"cached":false,"providers":{"brave":{"ok":true,"count":3}}}`)},
		"search_batch": {`{"type":"search_batch","params":{"queries":["a"]}}`, succeed(`{"artifact_ids":[],
			"batch_artifact_id":"0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b","query_count":1}`)},
		"fetch_url": {`{"type":"fetch_url","params":{"url":"https://example.com"}}`, succeed(`{"artifact_ids":[],
			"title":"Example","final_url":"https://example.com/","cached":true}`)},
		"failed": {`{"type":"sleep","params":{"seconds":9}}`, func(t *domain.Task, now time.Time) error {
			return t.Fail(domain.TaskError{Code: domain.CodeTaskRuntimeExceeded, Message: "killed"}, now)
		}},
		"running": {`{"type":"sleep","params":{"seconds":9}}`, func(*domain.Task, time.Time) error { return nil }},
	}
	for name, tc := range cases {
		id := submit(tc.submit)
		r.finish(id, tc.end)
		resp := r.do("GET", "/tasks/"+id, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, name)
		task := resp.json(t)
		require.Equal(t, "2025-01-02T03:04:06.623456Z", task["started_at"], name)
		require.EqualValues(t, 1, task["attempts"], name)
	}

	// A running task's cancel answers 200 with the task still running.
	id := submit(`{"type":"sleep","params":{"seconds":9}}`)
	r.finish(id, func(*domain.Task, time.Time) error { return nil })
	resp := r.do("POST", "/tasks/"+id+"/cancel", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "running", resp.json(t)["status"])
}
