package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
	"taskrunner/test/logcapture"
)

// TestSchedulesFireOncePerDueTimeAcrossThreeWorkers runs one api process and three worker
// processes (each with its own pools and its own scheduler) on one database and one Redis
// prefix, with several "@every 1s" schedules racing them all. What must hold: every due
// time a scheduler fired produced exactly one task, the tasks in the record are exactly
// the ones the schedulers report, and more than one process's scheduler took part.
func TestSchedulesFireOncePerDueTimeAcrossThreeWorkers(t *testing.T) {
	t.Parallel()
	s := setup(t)
	c := apptest.Config(t, bootstrap.ModeServices)
	apptest.UseServices(t, &c, s.dbURL, s.redis)
	api := apptest.StartAPI(t, c, bootstrap.RoleAPI, s.logs)
	workers := make([]*logcapture.Buffer, 3)
	for i := range workers {
		workers[i] = &logcapture.Buffer{}
		apptest.Start(t, c, bootstrap.RoleWorker, workers[i])
	}

	const schedules, dueTimesEach = 4, 4
	var ids []string
	for i := range schedules {
		code, b, _ := api.Call(t, http.MethodPost, "/schedules", map[string]any{
			"name": fmt.Sprintf("race-%d", i), "cron": "@every 1s", "overlap": "allow",
			"task": map[string]any{"type": "echo", "params": map[string]any{"n": i}},
		})
		require.Equal(t, http.StatusCreated, code, string(b))
		var sc struct{ ID string }
		require.NoError(t, json.Unmarshal(b, &sc))
		ids = append(ids, sc.ID)
	}

	// Wait until each schedule has fired dueTimesEach times, then stop them all.
	fired := func() map[string]map[string][]string { // schedule -> due time -> task ids
		out := map[string]map[string][]string{}
		for _, w := range workers {
			for _, e := range w.Events("schedule_fired") {
				sc, due := e["schedule_id"].(string), e["due_at"].(string)
				if out[sc] == nil {
					out[sc] = map[string][]string{}
				}
				out[sc][due] = append(out[sc][due], e["task_id"].(string))
			}
		}
		return out
	}
	eventually(t, fmt.Sprintf("each schedule to fire %d due times", dueTimesEach), func() (bool, string) {
		f := fired()
		for _, id := range ids {
			if len(f[id]) < dueTimesEach {
				return false, fmt.Sprintf("schedule %s fired %d", id, len(f[id]))
			}
		}
		return true, ""
	})
	for _, id := range ids {
		code, b, _ := api.Call(t, http.MethodPatch, "/schedules/"+id, map[string]any{"enabled": false})
		require.Equal(t, http.StatusOK, code, string(b))
	}

	// The record: one task per (schedule, due time), read behind the app's back.
	recorded := recordedScheduleTasks(t, s.dbURL)
	f := fired()
	for _, id := range ids {
		for due, tasks := range f[id] {
			// A firing repeated after a lost write names the same task (created=false), so
			// the distinct task ids are what counts.
			require.Len(t, distinct(tasks), 1, "schedule %s due %s fired tasks %v", id, due, tasks)
		}
		require.Len(t, recorded[id], len(f[id]), "schedule %s: tasks in the record vs due times fired", id)
		for due, taskID := range recorded[id] {
			require.Equal(t, []string{taskID}, distinct(f[id][due]), "schedule %s due %s", id, due)
		}
	}
	// Which process wins a due time is up to timing; that more than one did shows the
	// schedulers really raced (a lone winner every time would prove nothing).
	firing := 0
	for _, w := range workers {
		if len(w.Events("schedule_fired")) > 0 {
			firing++
		}
	}
	require.GreaterOrEqual(t, firing, 2, "processes whose scheduler fired")
}

// recordedScheduleTasks reads every fired task: schedule -> due time -> task id. The due
// time is the one in its idempotency key (domain.ScheduleSlotKey), in the log's format.
func recordedScheduleTasks(t *testing.T, dbURL string) map[string]map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	rows, err := conn.Query(ctx, `SELECT id::text, schedule_id::text, idempotency_key FROM tasks WHERE schedule_id IS NOT NULL`)
	require.NoError(t, err)
	out := map[string]map[string]string{}
	for rows.Next() {
		var id, sc, key string
		require.NoError(t, rows.Scan(&id, &sc, &key))
		_, slot, ok := strings.Cut(key, "@")
		require.True(t, ok, "key %q", key)
		due, err := time.Parse(time.RFC3339Nano, slot)
		require.NoError(t, err)
		if out[sc] == nil {
			out[sc] = map[string]string{}
		}
		dueText := due.UTC().Format(time.RFC3339Nano)
		require.NotContains(t, out[sc], dueText, "two tasks for schedule %s due %s", sc, dueText)
		out[sc][dueText] = id
	}
	require.NoError(t, rows.Err())
	return out
}

func distinct(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
