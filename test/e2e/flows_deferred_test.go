package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

// Delayed tasks and priorities, in both modes.

var scheduleFlows = map[string]func(t *testing.T, start starter){
	"run_at_lateness":     flowRunAtLateness,
	"priority_overtakes":  flowPriorityOvertakes,
	"cancel_scheduled":    flowCancelScheduled,
	"retry_scheduled":     flowRetryScheduled,
	"schedule_validation": flowScheduleValidation,
}

func runScheduleFlows(t *testing.T, start starter) {
	for name, flow := range scheduleFlows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flow(t, start)
		})
	}
}

func TestScheduleMemory(t *testing.T) {
	t.Parallel()
	runScheduleFlows(t, startMemory)
}

func TestScheduleServices(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("services e2e needs PostgreSQL and Redis; run without -short")
	}
	runScheduleFlows(t, startServices)
}

// schedTask is the task JSON with the fields these flows read.
type schedTask struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Priority  int        `json:"priority"`
	RunAt     *time.Time `json:"run_at"`
	ParentID  *string    `json:"parent_id"`
	StartedAt *time.Time `json:"started_at"`
	Error     *struct{ Code, Message string }
}

func (s *stack) getSched(t *testing.T, id string) schedTask {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id, nil)
	require.Equal(t, http.StatusOK, code, string(b))
	return decode[schedTask](t, b)
}

// flowRunAtLateness: 50 tasks due 1 to 3 s ahead each start within 1 s of their run_at
// (p99 of started_at - run_at), and wait as scheduled until then.
func flowRunAtLateness(t *testing.T, start starter) {
	s := start(t, nil)
	const n = 50
	now := time.Now().UTC()
	reqs := make([]map[string]any, n)
	for i := range reqs {
		at := now.Add(time.Second + time.Duration(i)*2*time.Second/n)
		reqs[i] = map[string]any{"type": "echo", "params": map[string]any{"i": i}, "run_at": at.Format(time.RFC3339Nano)}
	}
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/batch", map[string]any{"tasks": reqs})
	require.Equal(t, http.StatusAccepted, code, string(b))
	batch := decode[struct{ Tasks []schedTask }](t, b)
	require.Len(t, batch.Tasks, n)
	for i, tk := range batch.Tasks {
		require.Equal(t, "scheduled", tk.Status, "task %d", i)
		require.NotNil(t, tk.RunAt)
		require.Equal(t, 2, tk.Priority)
	}
	// Still waiting: a listing of scheduled tasks shows them.
	code, b, _ = s.Call(t, http.MethodGet, "/tasks?status=scheduled&limit=500", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	listed := decode[struct{ Tasks []schedTask }](t, b)
	require.NotEmpty(t, listed.Tasks)
	for _, tk := range listed.Tasks {
		require.Equal(t, "scheduled", tk.Status)
	}

	lateness := make([]time.Duration, n)
	for i, tk := range batch.Tasks {
		done := s.wait(t, tk.ID, "succeeded")
		require.Equal(t, "succeeded", done.Status)
		got := s.getSched(t, tk.ID)
		require.NotNil(t, got.StartedAt)
		require.False(t, got.StartedAt.Before(*tk.RunAt), "task %d started before its run_at", i)
		lateness[i] = got.StartedAt.Sub(*tk.RunAt)
	}
	slices.Sort(lateness)
	p99 := lateness[(n*99+99)/100-1]
	t.Logf("lateness over %d tasks: p50 %s, p99 %s, max %s", n, lateness[n/2], p99, lateness[n-1])
	require.LessOrEqual(t, p99, time.Second, "p99 lateness")
}

// flowPriorityOvertakes: with every worker busy on a flood of priority 4 tasks, a
// priority 1 task submitted after the flood starts before the flood drains.
func flowPriorityOvertakes(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.WorkerConcurrency = 2 })
	const n = 30
	reqs := make([]map[string]any, n)
	for i := range reqs {
		reqs[i] = map[string]any{"type": "sleep", "params": map[string]any{"seconds": 0.2}, "priority": 4}
	}
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/batch", map[string]any{"tasks": reqs})
	require.Equal(t, http.StatusAccepted, code, string(b))
	flood := decode[struct{ Tasks []schedTask }](t, b).Tasks
	require.Equal(t, 4, flood[0].Priority)
	s.wait(t, flood[0].ID, "running", "succeeded") // the workers are busy with the flood

	urgent := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"urgent": true}, "priority": 1})
	s.wait(t, urgent.ID, "succeeded")
	first := s.getSched(t, urgent.ID)
	require.Equal(t, 1, first.Priority)

	after := 0
	for _, tk := range flood {
		s.wait(t, tk.ID, "succeeded")
		if got := s.getSched(t, tk.ID); got.StartedAt.After(*first.StartedAt) {
			after++
		}
	}
	t.Logf("%d of %d flood tasks started after the priority 1 task", after, n)
	// Only the flood tasks already running or claimed by a free slot when it arrived
	// may start before it.
	require.GreaterOrEqual(t, after, n-6, "the priority 1 task waited for the flood")
}

// flowCancelScheduled: a scheduled task is cancelled at once, and never runs.
func flowCancelScheduled(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", map[string]any{"type": "echo", "delay_seconds": 3, "priority": 3})
	got := s.getSched(t, tk.ID)
	require.Equal(t, "scheduled", got.Status)
	require.NotNil(t, got.RunAt)
	require.Equal(t, 3, got.Priority)
	require.Nil(t, got.ParentID)

	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+tk.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	cancelled := decode[schedTask](t, b)
	require.Equal(t, "cancelled", cancelled.Status)
	require.Equal(t, "task_cancelled", cancelled.Error.Code)

	// Past its run_at the queue delivers it, and the worker drops it unrun.
	s.logs.Wait(t, 30*time.Second, "task_duplicate_skipped", tk.ID)
	final := s.getSched(t, tk.ID)
	require.Equal(t, "cancelled", final.Status)
	require.Zero(t, final.Attempts, "never started")
	require.Nil(t, final.StartedAt)
}

// flowRetryScheduled: a failed attempt that will be retried waits as scheduled, run_at the
// retry's time, then runs.
func flowRetryScheduled(t *testing.T, start starter) {
	s := start(t, nil)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(articleHTML))
	}))
	t.Cleanup(srv.Close)
	tk := s.submit(t, "/fetch", map[string]any{"url": srv.URL + "/flaky", "max_retries": 2})
	waiting := s.wait(t, tk.ID, "scheduled")
	got := s.getSched(t, waiting.ID)
	require.Equal(t, "scheduled", got.Status)
	require.Equal(t, 1, got.Attempts)
	require.NotNil(t, got.RunAt, "run_at is the retry's time")
	require.True(t, got.RunAt.After(*got.StartedAt), "the retry comes after the failed attempt")
	require.Equal(t, "fetch_failed", got.Error.Code, "the last error is shown while it waits")

	done := s.wait(t, tk.ID, "succeeded")
	require.Equal(t, 2, done.Attempts)
	final := s.getSched(t, tk.ID)
	require.False(t, final.StartedAt.Before(*got.RunAt), "the retry ran at or after its run_at")
}

// flowScheduleValidation: the scheduling fields are checked on every submitting route,
// each refusal a 422 (or 400 for a wrong type) naming the field.
func flowScheduleValidation(t *testing.T, start starter) {
	s := start(t, nil)
	bodies := map[string]map[string]any{
		"/tasks":        {"type": "echo"},
		"/search":       {"query": "go", "sources": []string{s.source}},
		"/search/batch": {"queries": []string{"go"}, "sources": []string{s.source}},
		"/fetch":        {"url": "http://127.0.0.1:1/"},
	}
	cases := []struct {
		extra  map[string]any
		status int
		code   string
		field  string
	}{
		{map[string]any{"priority": 0}, 422, "task_rejected_invalid_params", "priority"},
		{map[string]any{"priority": 5}, 422, "task_rejected_invalid_params", "priority"},
		{map[string]any{"priority": "high"}, 400, "invalid_request", "priority"},
		{map[string]any{"delay_seconds": -1}, 422, "task_rejected_invalid_params", "delay_seconds"},
		{map[string]any{"delay_seconds": 2592001}, 422, "task_rejected_invalid_params", "delay_seconds"},
		{map[string]any{"run_at": "tomorrow"}, 422, "task_rejected_invalid_params", "run_at"},
		{map[string]any{"run_at": time.Now().Add(31 * 24 * time.Hour).Format(time.RFC3339)}, 422, "task_rejected_invalid_params", "run_at"},
		{map[string]any{"run_at": 12}, 400, "invalid_request", "run_at"},
		{map[string]any{"run_at": time.Now().Add(time.Hour).Format(time.RFC3339), "delay_seconds": 5}, 422, "task_rejected_invalid_params", "delay_seconds"},
	}
	for path, base := range bodies {
		for _, tc := range cases {
			body := map[string]any{}
			for k, v := range base {
				body[k] = v
			}
			for k, v := range tc.extra {
				body[k] = v
			}
			code, b, _ := s.Call(t, http.MethodPost, path, body)
			expectError(t, code, b, tc.status, tc.code, tc.field)
		}
	}
	// In a batch the refusal also names the index.
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/batch", map[string]any{"tasks": []map[string]any{
		{"type": "echo"}, {"type": "echo", "priority": 9}}})
	e := expectError(t, code, b, 422, "task_rejected_invalid_params", "priority")
	require.EqualValues(t, 1, e.Error.Details["index"])

	// A past run_at, or a delay of 0, means now: the task is queued, not deferred.
	for _, extra := range []map[string]any{{"run_at": "2001-02-03T04:05:06Z"}, {"delay_seconds": 0}} {
		body := map[string]any{"type": "echo", "priority": 1}
		for k, v := range extra {
			body[k] = v
		}
		tk := s.submit(t, "/tasks", body)
		got := s.getSched(t, tk.ID)
		require.Nil(t, got.RunAt, fmt.Sprint(extra))
		require.Equal(t, 1, got.Priority)
		s.wait(t, tk.ID, "succeeded")
	}

	// Listing by parent: a malformed id is refused, an unknown one lists nothing.
	code, b, _ = s.Call(t, http.MethodGet, "/tasks?parent_id=nope", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "parent_id")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks?parent_id=0193b6a2-7c1e-7d3f-9a4b-1c2d3e4f5a6b", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Empty(t, decode[struct{ Tasks []schedTask }](t, b).Tasks)
}
