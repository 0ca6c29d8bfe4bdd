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
	"taskrunner/test/harness"
	"taskrunner/test/logcapture"
)

// TestServicesWorkerHandsBackOnShutdown: a worker process stopped (SIGTERM) while a task
// runs past the shutdown grace hands the task back to the queue; another worker process
// then finishes it. Nothing accepted is lost, and the attempt cut short is not counted.
func TestServicesWorkerHandsBackOnShutdown(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("needs PostgreSQL and Redis; run without -short")
	}
	c := servicesConfig(t)
	c.ShutdownGrace = 200 * time.Millisecond

	logs := &logcapture.Buffer{}
	s := &stack{Client: apptest.StartAPI(t, c, bootstrap.RoleAPI, logs), logs: logs}

	first := bootstrap.NewApp(c, bootstrap.RoleWorker, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, first.Start(ctx))

	tk := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 2}})
	s.wait(t, tk.ID, "running")
	require.NoError(t, first.Stop(ctx))

	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+tk.ID, nil)
	require.Equal(t, http.StatusOK, code)
	handedBack := decode[task](t, b)
	require.Equal(t, "queued", handedBack.Status, "the stopped worker hands the task back")
	require.Equal(t, 0, handedBack.Attempts, "the attempt cut short by shutdown is not counted")

	apptest.Start(t, c, bootstrap.RoleWorker, logs)
	done := s.wait(t, tk.ID, "succeeded")
	require.Equal(t, 1, done.Attempts)
	require.NotEmpty(t, logs.Events("task_handed_back"))
}

// TestShutdownWithZeroGraceHandsBackAtOnce: SHUTDOWN_GRACE_SECONDS=0 with three tasks
// running: the app stops inside its own stop timeout (no error, so the process exits 0),
// and every task is back in the queue, its attempt not counted, in both modes. Before,
// zero meant the 30 s default while the stop timeout was 15 s: the stop failed and the
// tasks stayed running with their leases held.
func TestShutdownWithZeroGraceHandsBackAtOnce(t *testing.T) {
	t.Parallel()
	for _, mode := range []bootstrap.Mode{bootstrap.ModeMemory, bootstrap.ModeServices} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			if mode == bootstrap.ModeServices && testing.Short() {
				t.Skip("needs PostgreSQL and Redis; run without -short")
			}
			env := map[string]string{"SHUTDOWN_GRACE_SECONDS": "0"}
			c, err := bootstrap.Load(func(k string) string { return env[k] })
			require.NoError(t, err)
			require.Zero(t, c.ShutdownGrace)
			c = c.WithMode(mode)
			c.HTTPAddr = "127.0.0.1:0"
			c.Limits.TasksPerMinute = 0
			c.WorkerConcurrency = 4
			if mode == bootstrap.ModeServices {
				apptest.UseServices(t, &c, harness.Postgres(t), harness.Redis(t))
			}

			logs := &logcapture.Buffer{}
			var srv *httpapi.Server
			app := bootstrap.NewApp(c, bootstrap.RoleAll, logs, fx.Populate(&srv))
			require.NoError(t, app.Err())
			startCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			require.NoError(t, app.Start(startCtx))
			s := &stack{Client: apptest.NewClient(t, srv, c), logs: logs}

			var ids []string
			for range 3 {
				ids = append(ids, s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 60}}).ID)
			}
			for _, id := range ids {
				s.wait(t, id, "running")
			}
			stopCtx, cancelStop := context.WithTimeout(context.Background(), app.StopTimeout())
			defer cancelStop()
			require.NoError(t, app.Stop(stopCtx), "the stop fits inside the stop timeout")

			handedBack := map[string]bool{}
			for _, line := range logs.Lines("task_handed_back") {
				for _, id := range ids {
					if strings.Contains(line, id) {
						handedBack[id] = true
					}
				}
			}
			require.Len(t, handedBack, len(ids), "every running task is handed back")
			if mode != bootstrap.ModeServices {
				return // the memory record ends with the process
			}
			// The record outlives the process: read it through a fresh api.
			c.HTTPAddr = "127.0.0.1:0"
			s2 := apptest.StartAPI(t, c, bootstrap.RoleAPI, logs)
			for _, id := range ids {
				code, b, _ := s2.Call(t, http.MethodGet, "/tasks/"+id, nil)
				require.Equal(t, http.StatusOK, code)
				tk := decode[task](t, b)
				require.Equal(t, "queued", tk.Status, "task %s", id)
				require.Equal(t, 0, tk.Attempts, "task %s: the attempt cut short is not counted", id)
			}
		})
	}
}
