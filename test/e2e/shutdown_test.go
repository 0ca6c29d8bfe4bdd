package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/bootstrap"
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
	c := testConfig(t, bootstrap.ModeServices)
	c.DatabaseURL = harness.Postgres(t)
	rt := harness.Redis(t)
	c.RedisURL, c.RedisPrefix = rt.URL, rt.Prefix
	s3 := harness.S3(t)
	c.MinIO = bootstrap.MinIOConfig{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: s3.Bucket, Secure: s3.Secure}
	c.ShutdownGrace = 200 * time.Millisecond

	logs := &logcapture.Buffer{}
	var srv *httpapi.Server
	startApp(t, c, bootstrap.RoleAPI, logs, fx.Populate(&srv))
	s := newStack(t, srv, logs, c)

	first := bootstrap.NewApp(c, bootstrap.RoleWorker, logs)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, first.Start(ctx))

	tk := s.submit(t, "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 2}})
	s.wait(t, tk.ID, "running")
	require.NoError(t, first.Stop(ctx))

	code, b, _ := s.call(t, http.MethodGet, "/tasks/"+tk.ID, nil)
	require.Equal(t, http.StatusOK, code)
	handedBack := decode[task](t, b)
	require.Equal(t, "queued", handedBack.Status, "the stopped worker hands the task back")
	require.Equal(t, 0, handedBack.Attempts, "the attempt cut short by shutdown is not counted")

	startApp(t, c, bootstrap.RoleWorker, logs)
	done := s.wait(t, tk.ID, "succeeded")
	require.Equal(t, 1, done.Attempts)
	require.NotEmpty(t, logs.Events("task_handed_back"))
}
