package e2e

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

// The operations of API.md "Operations" that act on one task (retry, delete, attempts,
// the running task's worker and progress) and GET /stats, in every kind of stack.
func init() {
	flows["retry"] = flowRetry
	flows["delete"] = flowDelete
	flows["progress"] = flowProgress
	flows["stats"] = flowStats
}

type opsTask struct {
	task
	RetryOf         *string        `json:"retry_of"`
	Priority        int            `json:"priority"`
	Worker          *workerJSON    `json:"worker"`
	HeartbeatAt     *time.Time     `json:"heartbeat_at"`
	CancelRequested bool           `json:"cancel_requested"`
	Progress        *progressJSON  `json:"progress"`
	Callback        map[string]any `json:"callback"`
}

type workerJSON struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
}

type progressJSON struct {
	Done    int64  `json:"done"`
	Total   int64  `json:"total"`
	Message string `json:"message"`
}

type attemptJSON struct {
	Attempt    int        `json:"attempt"`
	Worker     workerJSON `json:"worker"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Outcome    string     `json:"outcome"`
	Error      *string    `json:"error"`
}

func (s *stack) opsTask(t *testing.T, id string) opsTask {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id, nil)
	require.Equal(t, http.StatusOK, code, string(b))
	return decode[opsTask](t, b)
}

func (s *stack) attempts(t *testing.T, id string) []attemptJSON {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id+"/attempts", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	return decode[map[string][]attemptJSON](t, b)["attempts"]
}

// A failed task submitted again is a new task with the original's type, params and
// options that runs; a task neither failed nor cancelled is refused with 409.
func flowRetry(t *testing.T, start starter) {
	s := start(t, nil)
	// Fails on its runtime limit: a second of a 30-second sleep.
	orig := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30},
		"timeout_seconds": 1, "max_retries": 0, "priority": 3})
	failed := s.wait(t, orig.ID, "failed")
	require.Equal(t, "task_runtime_exceeded", failed.Error.Code)

	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+orig.ID+"/retry", nil)
	require.Equal(t, http.StatusAccepted, code, string(b))
	again := decode[opsTask](t, b)
	require.NotEqual(t, orig.ID, again.ID)
	require.NotNil(t, again.RetryOf)
	require.Equal(t, orig.ID, *again.RetryOf)
	require.Equal(t, "sleep", again.Type)
	require.JSONEq(t, string(orig.Params), string(again.Params))
	require.Equal(t, 1, again.TimeoutSeconds)
	require.Equal(t, 0, again.MaxRetries)
	require.Equal(t, 3, again.Priority)
	require.Nil(t, s.opsTask(t, orig.ID).RetryOf, "the original is no retry")

	// The new task runs (and fails the same way): one attempt, ended by the limit.
	s.wait(t, again.ID, "failed")
	log := s.attempts(t, again.ID)
	require.Len(t, log, 1)
	require.Equal(t, "failed", log[0].Outcome)
	require.NotNil(t, log[0].Error)
	require.Equal(t, "task_runtime_exceeded", *log[0].Error)

	// A succeeded task is not retried, nor is a running one; an unknown one is 404.
	ok := s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{}}).ID, "succeeded")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+ok.ID+"/retry", nil)
	expectError(t, code, b, http.StatusConflict, "task_not_retryable", "")
	running := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}})
	s.wait(t, running.ID, "running")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/retry", nil)
	expectError(t, code, b, http.StatusConflict, "task_not_retryable", "")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b/retry", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")

	// Cancelled counts as retryable.
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	s.wait(t, running.ID, "cancelled")
	log = s.attempts(t, running.ID)
	require.Len(t, log, 1)
	require.Equal(t, "cancelled", log[0].Outcome)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/retry", nil)
	require.Equal(t, http.StatusAccepted, code, string(b))
	cancelAgain := decode[opsTask](t, b)
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+cancelAgain.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
}

// A finished task goes with its artifacts; one not finished is 409, an unknown one 404.
func flowDelete(t *testing.T, start starter) {
	s := start(t, nil)
	done := s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"n": 1}}).ID, "succeeded")
	code, b, _ := s.Call(t, http.MethodPost, "/artifacts", map[string]any{"task_id": done.ID, "type": "log",
		"content_type": "text/plain", "data_base64": base64.StdEncoding.EncodeToString([]byte("delete me"))})
	require.Equal(t, http.StatusCreated, code, string(b))
	artifact := decode[map[string]any](t, b)["id"].(string)

	log := s.attempts(t, done.ID)
	require.Len(t, log, 1)
	require.Equal(t, 1, log[0].Attempt)
	require.Equal(t, "succeeded", log[0].Outcome)
	require.Nil(t, log[0].Error)
	require.NotEmpty(t, log[0].Worker.Host)
	require.Positive(t, log[0].Worker.PID)
	require.NotNil(t, log[0].FinishedAt)

	running := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}})
	s.wait(t, running.ID, "running")
	code, b, _ = s.Call(t, http.MethodDelete, "/tasks/"+running.ID, nil)
	expectError(t, code, b, http.StatusConflict, "task_not_finished", "")

	code, b, _ = s.Call(t, http.MethodDelete, "/tasks/"+done.ID, nil)
	require.Equal(t, http.StatusNoContent, code, string(b))
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+done.ID, nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+artifact+"/meta", nil)
	expectError(t, code, b, http.StatusNotFound, "artifact_not_found", "")
	code, b, _ = s.Call(t, http.MethodDelete, "/tasks/"+done.ID, nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+done.ID+"/attempts", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+running.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
}

// While a sleep task runs its JSON names the worker, shows a heartbeat and the seconds
// slept so far; a cancel shows cancel_requested until the worker ends it.
func flowProgress(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.WorkerBeat = 200 * time.Millisecond })
	id := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30}}).ID
	deadline := time.Now().Add(20 * time.Second)
	var tk opsTask
	for {
		tk = s.opsTask(t, id)
		if tk.Status == "running" && tk.Progress != nil && tk.Progress.Done >= 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "no progress shown: %+v", tk)
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, int64(30), tk.Progress.Total)
	require.Equal(t, "seconds slept", tk.Progress.Message)
	require.NotNil(t, tk.Worker)
	require.NotEmpty(t, tk.Worker.Host)
	require.Positive(t, tk.Worker.PID)
	require.NotNil(t, tk.HeartbeatAt)
	require.Equal(t, 1, tk.Attempts)
	require.False(t, tk.CancelRequested)
	log := s.attempts(t, id)
	require.Len(t, log, 1)
	require.Equal(t, "running", log[0].Outcome)
	require.Nil(t, log[0].FinishedAt)

	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+id+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	if after := decode[opsTask](t, b); after.Status == "running" {
		require.True(t, after.CancelRequested, "a cancel on its way shows")
	}
	s.wait(t, id, "cancelled")
	final := s.opsTask(t, id)
	require.Nil(t, final.Worker, "no worker once it is over")
	require.Nil(t, final.HeartbeatAt)
}

// GET /stats counts what this stack ran.
func flowStats(t *testing.T, start starter) {
	s := start(t, nil)
	for i := range 3 {
		s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"i": i}}).ID, "succeeded")
	}
	s.wait(t, s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 30},
		"timeout_seconds": 1}).ID, "failed")

	code, b, _ := s.Call(t, http.MethodGet, "/stats", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	st := decode[statsJSON](t, b)
	require.Equal(t, int64(3), st.ByStatus["succeeded"], string(b))
	require.Equal(t, int64(1), st.ByStatus["failed"], string(b))
	require.Equal(t, int64(0), st.ByStatus["queued"], string(b))
	require.Equal(t, int64(3), st.ByType["echo"], string(b))
	require.Equal(t, int64(1), st.ByType["sleep"], string(b))
	require.Equal(t, int64(4), st.LastMinute.Finished, string(b))
	require.Equal(t, int64(1), st.LastMinute.Failed, string(b))
	require.Equal(t, int64(4), st.LastHour.Finished, string(b))
	require.Equal(t, int64(1), st.LastHour.Failed, string(b))
	require.Nil(t, st.OldestQueued, "nothing is queued")
	require.Equal(t, 3, st.RunTimes["echo"].Sample, string(b))
	require.Equal(t, 1, st.RunTimes["sleep"].Sample, string(b))
	require.InDelta(t, 1.0, st.RunTimes["sleep"].P50, 0.9, "the sleep ran about its one-second limit")
	require.LessOrEqual(t, st.RunTimes["echo"].P50, st.RunTimes["echo"].P95)
}

type statsJSON struct {
	ByStatus   map[string]int64 `json:"by_status"`
	ByType     map[string]int64 `json:"by_type"`
	LastMinute struct {
		Finished, Failed int64
	} `json:"last_minute"`
	LastHour struct {
		Finished, Failed int64
	} `json:"last_hour"`
	OldestQueued *float64 `json:"oldest_queued_age_seconds"`
	RunTimes     map[string]struct {
		P50, P95 float64
		Sample   int
	} `json:"run_time_seconds"`
}
