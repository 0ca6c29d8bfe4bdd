package bootstrap

import (
	"context"
	"io"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"taskrunner/adapters/metrics"
	"taskrunner/test/logcapture"
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

// With WORKER_METRICS_ADDR off a worker has no listener of its own.
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

// The listener is on by default, on a documented loopback port; "off" turns it off.
func TestWorkerMetricsAddrDefaultsOnAndTurnsOff(t *testing.T) {
	t.Parallel()
	c, err := Load(func(string) string { return "" })
	require.NoError(t, err)
	require.Equal(t, DefaultWorkerMetricsAddr, c.WorkerMetricsAddr)
	c, err = Load(func(k string) string {
		if k == "WORKER_METRICS_ADDR" {
			return "off"
		}
		return ""
	})
	require.NoError(t, err)
	require.Empty(t, c.WorkerMetricsAddr)
}

// The default address in use (another worker on this host has it) is a warning: the
// worker starts and runs tasks without a listener of its own.
func TestWorkerMetricsDefaultAddressInUseOnlyWarns(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", DefaultWorkerMetricsAddr)
	if err == nil { // else something on this host holds it already: the case under test
		t.Cleanup(func() { _ = taken.Close() })
	} else {
		require.ErrorIs(t, err, syscall.EADDRINUSE)
	}
	c := testConfig(t, ModeMemory)
	c.WorkerMetricsAddr = DefaultWorkerMetricsAddr
	logs := &logcapture.Buffer{}
	app := fxtest.New(t, appOptions(c, RoleWorker, logs)...)
	app.RequireStart()
	defer app.RequireStop()
	require.Contains(t, logs.String(), `"msg":"worker_metrics_unavailable"`)
}
