package bootstrap

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"taskrunner/application"
	"taskrunner/ports"
)

// testConfig is the default configuration in mode m, serving on a free loopback port.
func testConfig(t *testing.T, m Mode) Config {
	t.Helper()
	c, err := Load(func(string) string { return "" })
	require.NoError(t, err)
	c = c.WithMode(m)
	c.HTTPAddr = "127.0.0.1:0"
	c.WorkerMetricsAddr = "" // off: tests start many workers on one host
	return c
}

// TestGraphsAreComplete checks every mode and role wires without starting anything, the
// worker also with its own metrics listener.
func TestGraphsAreComplete(t *testing.T) {
	t.Parallel()
	for _, mode := range []Mode{ModeMemory, ModeServices} {
		for _, role := range []Role{RoleAll, RoleAPI, RoleWorker} {
			c := testConfig(t, mode)
			t.Run(string(mode)+"/"+role.String(), func(t *testing.T) {
				t.Parallel()
				require.NoError(t, fx.ValidateApp(appOptions(c, role, io.Discard)...))
			})
		}
		c := testConfig(t, mode)
		c.WorkerMetricsAddr = "127.0.0.1:0"
		t.Run(string(mode)+"/worker+metrics", func(t *testing.T) {
			t.Parallel()
			require.NoError(t, fx.ValidateApp(appOptions(c, RoleWorker, io.Discard)...))
		})
	}
}

// Services mode assembles with none of its services reachable: constructors do no I/O,
// services are reached when the app starts (see serve_test.go).
func TestServicesModeAssemblesWithoutItsServices(t *testing.T) {
	t.Parallel()
	c := testConfig(t, ModeServices)
	c.DatabaseURL = "postgres://u:p@127.0.0.1:1/db?sslmode=disable"
	c.RedisURL = "redis://127.0.0.1:1/0"
	c.MinIO.Endpoint = "127.0.0.1:1"
	var (
		health    map[string]ports.Pinger
		providers application.SearchProviders
	)
	fxtest.New(t, appOptions(c, RoleAll, io.Discard, fx.Populate(&health, &providers))...)
	require.ElementsMatch(t, []string{"store", "queue", "blobs"}, keys(health))
	require.ElementsMatch(t, []string{"brave", "exa"}, keys(providers), "demo is memory mode's only")
}

func TestMemoryAppStartsAndStops(t *testing.T) {
	t.Parallel()
	var (
		health    map[string]ports.Pinger
		providers application.SearchProviders
	)
	app := fxtest.New(t, appOptions(testConfig(t, ModeMemory), RoleAll, io.Discard, fx.Populate(&health, &providers))...)
	app.RequireStart()
	require.ElementsMatch(t, []string{"store", "queue", "blobs"}, keys(health))
	for name, p := range health {
		require.NoError(t, p.Ping(t.Context()), name)
	}
	require.ElementsMatch(t, []string{"brave", "exa", "demo"}, keys(providers))
	app.RequireStop()
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
