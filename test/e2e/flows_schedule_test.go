package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// schedule is the JSON of a schedule, as the tests read it.
type schedule struct {
	ID         string     `json:"id"`
	Cron       string     `json:"cron"`
	NextRunAt  *time.Time `json:"next_run_at"`
	LastRunAt  *time.Time `json:"last_run_at"`
	LastTaskID *string    `json:"last_task_id"`
}

// scheduledTask is a task with the field schedules add.
type scheduledTask struct {
	ID         string    `json:"id"`
	Status     string    `json:"status"`
	ScheduleID *string   `json:"schedule_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// flowScheduleEverySecond: an "@every 1s" schedule fires within a second of each due time,
// through the normal submit path (its tasks run), and its tasks list under schedule_id.
func flowScheduleEverySecond(t *testing.T, start starter) {
	s := start(t, nil)
	code, b, _ := s.Call(t, http.MethodPost, "/schedules", map[string]any{
		"name": "tick", "cron": "@every 1s", "overlap": "allow",
		"task": map[string]any{"type": "echo", "params": map[string]any{"msg": "tick"}},
	})
	require.Equal(t, http.StatusCreated, code, string(b))
	sc := decode[schedule](t, b)

	const want = 3
	var tasks []scheduledTask
	deadline := time.Now().Add(30 * time.Second)
	for len(tasks) < want {
		require.False(t, time.Now().After(deadline), "only %d tasks fired; log:\n%s", len(tasks), s.logs.Tail(40))
		time.Sleep(50 * time.Millisecond) // a poll interval, not an expectation
		code, b, _ = s.Call(t, http.MethodGet, "/tasks?schedule_id="+sc.ID, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		tasks = decode[struct {
			Tasks []scheduledTask `json:"tasks"`
		}](t, b).Tasks
	}

	// Each task belongs to a distinct due time, and was created within a second of it.
	dues := map[time.Time]string{}
	for _, tk := range tasks {
		require.NotNil(t, tk.ScheduleID)
		require.Equal(t, sc.ID, *tk.ScheduleID)
		// The scheduler logs schedule_fired after the task's row is committed, so the
		// listing can show the task a moment before the line is written.
		s.logs.Wait(t, 5*time.Second, "schedule_fired", tk.ID)
		fired := s.logs.TaskEvents("schedule_fired", tk.ID)
		require.Len(t, fired, 1, "one schedule_fired for task %s", tk.ID)
		due, err := time.Parse(time.RFC3339Nano, fired[0]["due_at"].(string))
		require.NoError(t, err)
		require.Equal(t, due, due.Truncate(time.Second), "@every 1s falls on whole seconds")
		require.NotContains(t, dues, due, "two tasks for one due time")
		dues[due] = tk.ID
		late := tk.CreatedAt.Sub(due)
		require.GreaterOrEqual(t, late, time.Duration(0), "task %s created before its due time", tk.ID)
		require.LessOrEqual(t, late, time.Second, "task %s created %s after its due time", tk.ID, late)
	}
	s.wait(t, tasks[len(tasks)-1].ID, "succeeded")

	code, b, _ = s.Call(t, http.MethodGet, "/schedules/"+sc.ID, nil)
	require.Equal(t, http.StatusOK, code)
	now := decode[schedule](t, b)
	require.NotNil(t, now.LastRunAt)
	require.NotNil(t, now.LastTaskID)
	require.NotNil(t, now.NextRunAt)

	code, b, _ = s.Call(t, http.MethodDelete, "/schedules/"+sc.ID, nil)
	require.Equal(t, http.StatusNoContent, code, string(b))
	code, _, _ = s.Call(t, http.MethodGet, "/schedules/"+sc.ID, nil)
	require.Equal(t, http.StatusNotFound, code)
}
