package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/test/contract"
)

func (r *rig) createSchedule(body map[string]any) map[string]any {
	r.t.Helper()
	resp := r.do("POST", "/schedules", body)
	require.Equal(r.t, http.StatusCreated, resp.StatusCode, string(resp.body))
	return resp.json(r.t)
}

func echoEvery(seconds string) map[string]any {
	return map[string]any{"name": "tick", "cron": "@every " + seconds, "task": map[string]any{"type": "echo", "params": map[string]any{"msg": "tick"}}}
}

func TestScheduleLifecycle(t *testing.T) {
	t.Parallel()
	r := setup(t)
	now := r.clock.Now()
	sc := r.createSchedule(echoEvery("30s"))
	id := sc["id"].(string)
	require.Equal(t, "tick", sc["name"])
	require.Equal(t, "UTC", sc["timezone"], "the default zone")
	require.Equal(t, "skip", sc["overlap"], "the default overlap")
	require.Equal(t, true, sc["enabled"])
	require.Nil(t, sc["last_run_at"])
	require.Nil(t, sc["last_task_id"])
	require.Equal(t, map[string]any{"type": "echo", "params": map[string]any{"msg": "tick"}}, sc["task"])
	next, err := time.Parse(time.RFC3339Nano, sc["next_run_at"].(string))
	require.NoError(t, err)
	require.Equal(t, now.Truncate(time.Second).Add(30*time.Second), next, "@every counts from the creation's whole second")

	got := r.do("GET", "/schedules/"+id, nil)
	require.Equal(t, http.StatusOK, got.StatusCode)
	require.Equal(t, sc, got.json(t))

	list := r.do("GET", "/schedules", nil)
	require.Equal(t, http.StatusOK, list.StatusCode)
	require.Equal(t, []any{sc}, list.json(t)["schedules"])

	r.clock.Advance(time.Minute)
	patched := r.do("PATCH", "/schedules/"+id, map[string]any{"cron": "0 9 * * *", "timezone": "Europe/Berlin", "overlap": "allow"})
	require.Equal(t, http.StatusOK, patched.StatusCode, string(patched.body))
	p := patched.json(t)
	require.Equal(t, "0 9 * * *", p["cron"])
	require.Equal(t, "allow", p["overlap"])
	// 2025-01-02 03:05 UTC: the next 09:00 in Berlin (UTC+1 in winter) is 08:00 UTC that day.
	require.Equal(t, "2025-01-02T08:00:00.000000Z", p["next_run_at"])

	disabled := r.do("PATCH", "/schedules/"+id, map[string]any{"enabled": false}).json(t)
	require.Nil(t, disabled["next_run_at"], "a disabled schedule plans nothing")
	enabled := r.do("PATCH", "/schedules/"+id, map[string]any{"enabled": true}).json(t)
	require.Equal(t, "2025-01-02T08:00:00.000000Z", enabled["next_run_at"])

	require.Equal(t, http.StatusNoContent, r.do("DELETE", "/schedules/"+id, nil).StatusCode)
	gone := r.do("GET", "/schedules/"+id, nil)
	require.Equal(t, http.StatusNotFound, gone.StatusCode)
	require.Equal(t, "schedule_not_found", gone.errorCode(t))
	require.Equal(t, http.StatusNotFound, r.do("DELETE", "/schedules/"+id, nil).StatusCode)
	require.Equal(t, http.StatusNotFound, r.do("PATCH", "/schedules/"+id, map[string]any{"enabled": true}).StatusCode)
	require.Equal(t, http.StatusNotFound, r.do("GET", "/schedules/not-a-uuid", nil).StatusCode)
}

func TestScheduleValidation(t *testing.T) {
	t.Parallel()
	r := setup(t)
	with := func(field string, value any) map[string]any {
		b := echoEvery("1m")
		b[field] = value
		return b
	}
	for name, c := range map[string]struct {
		body  map[string]any
		field string
	}{
		"bad cron":          {with("cron", "not a cron"), "cron"},
		"six fields":        {with("cron", "* * * * * *"), "cron"},
		"every under 1s":    {with("cron", "@every 500ms"), "cron"},
		"every fraction":    {with("cron", "@every 1500ms"), "cron"},
		"zone prefix":       {with("cron", "TZ=UTC * * * * *"), "cron"},
		"never fires":       {with("cron", "0 0 30 2 *"), "cron"},
		"empty cron":        {with("cron", ""), "cron"},
		"unknown zone":      {with("timezone", "Mars/Olympus"), "timezone"},
		"local zone":        {with("timezone", "Local"), "timezone"},
		"no name":           {with("name", ""), "name"},
		"bad overlap":       {with("overlap", "sometimes"), "overlap"},
		"run_at in task":    {with("task", map[string]any{"type": "echo", "run_at": "2030-01-01T00:00:00Z"}), "task.run_at"},
		"delay in task":     {with("task", map[string]any{"type": "echo", "delay_seconds": 5}), "task.delay_seconds"},
		"key in task":       {with("task", map[string]any{"type": "echo", "idempotency_key": "k"}), "task.idempotency_key"},
		"task timeout":      {with("task", map[string]any{"type": "echo", "timeout_seconds": 0}), "task.timeout_seconds"},
		"task retries":      {with("task", map[string]any{"type": "echo", "max_retries": 11}), "task.max_retries"},
		"task sleep params": {with("task", map[string]any{"type": "sleep", "params": map[string]any{"seconds": -1}}), "task.params.seconds"},
	} {
		resp := r.do("POST", "/schedules", c.body)
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, "%s: %s", name, resp.body)
		require.Equal(t, "task_rejected_invalid_params", resp.errorCode(t), name)
		require.Equal(t, c.field, resp.errorField(t), name)
	}
	for name, c := range map[string]struct {
		body  any
		field string
	}{
		"no task":        {map[string]any{"name": "x", "cron": "@daily"}, "task"},
		"task not obj":   {with("task", "echo"), "task"},
		"unknown type":   {with("task", map[string]any{"type": "nope"}), "task.type"},
		"unknown field":  {with("task", map[string]any{"type": "echo", "colour": 1}), "task.colour"},
		"schedule field": {with("color", 1), "color"},
		"wrong type":     {with("enabled", "yes"), "enabled"},
	} {
		resp := r.do("POST", "/schedules", c.body)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", name, resp.body)
		require.Equal(t, c.field, resp.errorField(t), name)
	}
	list := r.do("GET", "/schedules", nil).json(t)
	require.Empty(t, list["schedules"], "nothing refused was stored")

	id := r.createSchedule(echoEvery("1m"))["id"].(string)
	bad := r.do("PATCH", "/schedules/"+id, map[string]any{"timezone": "Nowhere/Land"})
	require.Equal(t, http.StatusUnprocessableEntity, bad.StatusCode)
	require.Equal(t, "timezone", bad.errorField(t))
	bad = r.do("PATCH", "/schedules/"+id, map[string]any{"cron": "@every 0s"})
	require.Equal(t, "cron", bad.errorField(t))
	require.Equal(t, "@every 1m", r.do("GET", "/schedules/"+id, nil).json(t)["cron"], "a refused PATCH changes nothing")
}

func TestTasksListedBySchedule(t *testing.T) {
	t.Parallel()
	r := setup(t)
	scheduleID := contract.NewID()
	fired, _, err := r.store.Create(t.Context(), contract.NewTask(func(task *domain.Task) { task.ScheduleID = scheduleID }))
	require.NoError(t, err)
	other := r.submitEcho("not scheduled")

	page := r.do("GET", "/tasks?schedule_id="+scheduleID, nil).json(t)["tasks"].([]any)
	require.Len(t, page, 1)
	require.Equal(t, fired.ID, page[0].(map[string]any)["id"])
	require.Equal(t, scheduleID, page[0].(map[string]any)["schedule_id"])
	require.Nil(t, r.do("GET", "/tasks/"+other, nil).json(t)["schedule_id"], "null when no schedule fired it")

	bad := r.do("GET", "/tasks?schedule_id=nope", nil)
	require.Equal(t, http.StatusBadRequest, bad.StatusCode)
	require.Equal(t, "schedule_id", bad.errorField(t))
}
