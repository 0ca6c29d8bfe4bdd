package bootstrap

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"taskrunner/adapters/metrics"
)

func TestWorkerServesMetricsWhenAsked(t *testing.T) {
	t.Parallel()
	c := testConfig(t, ModeMemory)
	c.WorkerMetricsAddr = "127.0.0.1:0"
	var srv *metrics.Server
	app := fxtest.New(t, appOptions(c, RoleWorker, io.Discard, fx.Populate(&srv))...)
	app.RequireStart()
	defer app.RequireStop()

	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + srv.Addr() + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(body), "taskrunner_queue_depth")
}

// Without WORKER_METRICS_ADDR a worker has no listener of its own.
func TestWorkerServesNoMetricsUnlessAsked(t *testing.T) {
	t.Parallel()
	err := fx.ValidateApp(append(appOptions(testConfig(t, ModeMemory), RoleWorker, io.Discard),
		fx.Invoke(func(*metrics.Server) {}))...)
	require.ErrorContains(t, err, "missing type: *metrics.Server")
}

// An address in use fails start-up, naming the variable.
func TestWorkerMetricsAddressInUseFailsStartUp(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = taken.Close() })
	c := testConfig(t, ModeMemory)
	c.WorkerMetricsAddr = taken.Addr().String()

	app := fxtest.New(t, appOptions(c, RoleWorker, io.Discard)...)
	ctx, cancel := context.WithTimeout(t.Context(), app.StartTimeout())
	defer cancel()
	err = app.Start(ctx)
	require.ErrorContains(t, err, "WORKER_METRICS_ADDR: ")
	require.ErrorContains(t, err, "address already in use")
}
