package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
	"taskrunner/test/logcapture"
)

// eventFlows cover GET /events and GET /tasks/{id}?wait in both modes. In services mode
// the api and the worker are separate apps over PostgreSQL and Redis (startServices): a
// change made by the worker reaches the api's stream through Redis pub/sub only.
var eventFlows = map[string]func(t *testing.T, start starter){
	"stream_shows_lifecycle":  flowEventsLifecycle,
	"stream_filters":          flowEventsFilters,
	"stream_resumes":          flowEventsResume,
	"stream_keep_alive":       flowEventsKeepAlive,
	"stream_auth":             flowEventsAuth,
	"wait_answers_when_final": flowWaitFinal,
	"wait_times_out":          flowWaitTimesOut,
	"wait_bad_input":          flowWaitBadInput,
}

func TestEventsMemory(t *testing.T) {
	t.Parallel()
	for name, flow := range eventFlows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flow(t, startMemory)
		})
	}
}

func TestEventsServices(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("services e2e needs PostgreSQL and Redis; run without -short")
	}
	for name, flow := range eventFlows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flow(t, startServices)
		})
	}
}

func sleepTask(seconds float64) map[string]any {
	return map[string]any{"type": "sleep", "params": map[string]any{"seconds": seconds}}
}

// flowEventsLifecycle: a subscriber sees a task go queued -> running -> succeeded, each
// event the task JSON of GET /tasks/{id}, its last one equal to what GET answers.
func flowEventsLifecycle(t *testing.T, start starter) {
	s := start(t, nil)
	st := s.openEvents(t, "")
	first := st.next(t, 10*time.Second)
	require.Equal(t, "connected", first.Comment, "a first comment is sent at once")

	tk := s.submit(t, "/tasks", sleepTask(0.2))
	seen, _ := st.statusesUntil(t, tk.ID)
	require.Equal(t, []string{"queued", "running", "succeeded"}, seen)

	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+tk.ID, nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "succeeded", decode[task](t, b).Status)
}

func flowEventsFilters(t *testing.T, start starter) {
	s := start(t, nil)
	finals := s.openEvents(t, "status=succeeded,failed&type=echo")
	_ = finals.next(t, 10*time.Second)

	slept := s.submit(t, "/tasks", sleepTask(30))
	echoed := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "hi"}})
	one := s.openEvents(t, "task_id="+slept.ID+"&parent_id=")
	_ = one.next(t, 10*time.Second)
	// A long sleep still has its cancel ahead whenever the stream opened.
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+slept.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	s.wait(t, slept.ID, "cancelled")
	s.wait(t, echoed.ID, "succeeded")
	marker := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "marker"}})

	// The status and type filter passes only the echo tasks' final events: the sleep
	// task's events and the echo tasks' queued/running ones never come.
	for _, want := range []string{echoed.ID, marker.ID} {
		f := finals.next(t, 30*time.Second)
		for f.Event != "task" {
			f = finals.next(t, 30*time.Second)
		}
		got := decode[task](t, []byte(f.Data))
		require.Equal(t, want, got.ID)
		require.Equal(t, "succeeded", got.Status)
	}
	// The task filter passes one task's events only.
	seen, _ := one.statusesUntil(t, slept.ID)
	require.Contains(t, seen, "cancelled")
	s.wait(t, marker.ID, "succeeded")
	select {
	case f := <-one.frames:
		require.NotEqual(t, "task", f.Event, "an event of another task passed the task_id filter: %s", f.Data)
	default:
	}

	code, b, _ = s.Call(t, http.MethodGet, "/events?status=done", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "status")
	code, b, _ = s.Call(t, http.MethodGet, "/events?type=echo,nope", nil)
	expectError(t, code, b, http.StatusBadRequest, "invalid_request", "type")
}

// flowEventsResume: a client that reconnects with the Last-Event-ID it saw gets the
// events it missed, in order; an id this process never issued starts the stream afresh
// and says so.
func flowEventsResume(t *testing.T, start starter) {
	s := start(t, nil)
	st := s.openEvents(t, "type=sleep")
	a := s.submit(t, "/tasks", sleepTask(0))
	_, lastID := st.statusesUntil(t, a.ID)
	st.close()

	b := s.submit(t, "/tasks", sleepTask(0))
	s.wait(t, b.ID, "succeeded")

	resumed := s.openEvents(t, "type=sleep", "Last-Event-ID", lastID)
	require.Equal(t, "connected", resumed.next(t, 10*time.Second).Comment)
	seen, _ := resumed.statusesUntil(t, b.ID)
	require.Equal(t, []string{"queued", "running", "succeeded"}, seen, "the missed events, replayed")

	fresh := s.openEvents(t, "type=sleep", "Last-Event-ID", "0badc0ffee00-7")
	require.Contains(t, fresh.next(t, 10*time.Second).Comment, "not possible")
}

func flowEventsKeepAlive(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.EventsKeepAlive = 50 * time.Millisecond })
	st := s.openEvents(t, "task_id=none")
	require.Equal(t, "connected", st.next(t, 10*time.Second).Comment)
	require.Equal(t, "keep-alive", st.next(t, 10*time.Second).Comment)
}

func flowEventsAuth(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.APITokens = []string{"events-token"} })
	s.Token = ""
	code, b, _ := s.Call(t, http.MethodGet, "/events", nil)
	expectError(t, code, b, http.StatusUnauthorized, "unauthorized", "")
	s.Token = "events-token"
	st := s.openEvents(t, "")
	require.Equal(t, "connected", st.next(t, 10*time.Second).Comment)
}

// flowWaitFinal: wait=10 on a 1 s task answers once it succeeded, about 1 s after the
// submit and well before the 10 s.
func flowWaitFinal(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", sleepTask(1))
	began := time.Now()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=10", nil)
	took := time.Since(began)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, "succeeded", decode[task](t, b).Status)
	require.Less(t, took, 6*time.Second, "answered when the task finished, not at the deadline")
}

// flowWaitTimesOut: wait=1 on a long task answers after about 1 s with it running.
func flowWaitTimesOut(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", sleepTask(30))
	s.wait(t, tk.ID, "running")
	began := time.Now()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=1", nil)
	took := time.Since(began)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, "running", decode[task](t, b).Status)
	require.GreaterOrEqual(t, took, time.Second, "it waited")
	require.Less(t, took, 6*time.Second, "and answered at the deadline")

	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=0.2", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	code, b, _ = s.Call(t, http.MethodPost, "/tasks/"+tk.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=30", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, "cancelled", decode[task](t, b).Status, "a cancel ends the wait")
}

func flowWaitBadInput(t *testing.T, start starter) {
	s := start(t, nil)
	tk := s.submit(t, "/tasks", sleepTask(0))
	for _, bad := range []string{"61", "-1", "abc", "1e1", "", "5s"} {
		if bad == "" {
			continue
		}
		code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait="+bad, nil)
		expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "wait")
	}
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/00000000-0000-7000-8000-000000000000?wait=1", nil)
	expectError(t, code, b, http.StatusNotFound, "task_not_found", "")
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=60", nil)
	require.Equal(t, http.StatusOK, code, string(b))
}

// TestShutdownWithOpenEventStream: an open stream and a pending wait do not hold up a
// graceful stop: both end, and the app stops within its stop timeout.
func TestShutdownWithOpenEventStream(t *testing.T) {
	t.Parallel()
	c := apptest.Config(t, bootstrap.ModeMemory)
	logs := &logcapture.Buffer{}
	var srv *httpapi.Server
	app := bootstrap.NewApp(c, bootstrap.RoleAll, logs, fx.Populate(&srv))
	require.NoError(t, app.Err())
	startCtx, cancelStart := context.WithTimeout(context.Background(), app.StartTimeout())
	defer cancelStart()
	require.NoError(t, app.Start(startCtx))
	client := apptest.NewClient(t, srv, c)
	s := &stack{Client: client, logs: logs}
	st := s.openEvents(t, "")
	require.Equal(t, "connected", st.next(t, 10*time.Second).Comment)
	tk := s.submit(t, "/tasks", sleepTask(30))
	waited := make(chan int, 1)
	go func() {
		code, _, _, _ := client.Do(t, http.MethodGet, "/tasks/"+tk.ID+"?wait=60", nil)
		waited <- code
	}()
	s.wait(t, tk.ID, "running")

	ctx, cancel := context.WithTimeout(context.Background(), app.StopTimeout())
	defer cancel()
	began := time.Now()
	require.NoError(t, app.Stop(ctx))
	require.Less(t, time.Since(began), c.ShutdownGrace+5*time.Second, "the stream held up the stop")
	require.True(t, st.ended(5*time.Second), "the stream ended with the server")
	select {
	case code := <-waited:
		require.Equal(t, http.StatusOK, code, "the wait answered the task as it stood")
	case <-time.After(5 * time.Second):
		t.Fatal("the wait did not end with the server")
	}
	require.False(t, strings.Contains(logs.String(), "http_serve_failed"))
}
