// Package apptest runs taskrunner's fx apps inside a test process, as `taskrunner dev`,
// `api` and `worker` would run, and talks to them over real HTTP with every exchange
// checked against the OpenAPI document. The end-to-end and fault suites share it, so both
// start the app the way production does and hold it to the same contract.
package apptest

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"taskrunner/adapters/httpapi"
	"taskrunner/bootstrap"
	"taskrunner/test/harness"
)

// lifecycleLimit bounds an app's start and stop: a deadline, not a speed expectation.
const lifecycleLimit = 30 * time.Second

// Config is the default configuration (no environment) in mode, tuned for tests: a
// random port, no rate limit, a short lease, quick retries and reconciles, a short
// shutdown grace, every search source allowed, and fetches to the tests' own loopback
// sites on any port.
func Config(t testing.TB, mode bootstrap.Mode) bootstrap.Config {
	t.Helper()
	c, err := bootstrap.Load(func(string) string { return "" })
	require.NoError(t, err)
	c = c.WithMode(mode)
	c.Limits.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	c.HTTPAddr = "127.0.0.1:0"
	c.WorkerMetricsAddr = "" // off: tests start many workers on one host
	c.Limits.TasksPerMinute = 0
	c.WorkerConcurrency = 4
	c.WorkerLease = 2 * time.Second
	c.RetryBaseDelay = 20 * time.Millisecond
	c.ShutdownGrace = 2 * time.Second
	c.ReconcileInterval = time.Second
	c.FetchAllowPrivate = true
	c.Limits.FetchAllowedPorts = []string{"*"}
	// No robots.txt or host pacing: the tests' sites answer every path with their page and
	// fetch one host many times; the politeness tests turn both on.
	c.Politeness = bootstrap.PolitenessConfig{}
	c.LogLevel = "debug" // the per-task events (task_submitted, task_started, ...) are debug
	return c
}

// UseServices points c at the database dbURL, the Redis target r and a fresh bucket from
// the harness. Callers pass the database and Redis target so that they can also reach
// them directly (the fault tests read the record behind the app's back).
func UseServices(t testing.TB, c *bootstrap.Config, dbURL string, r harness.RedisTarget) {
	t.Helper()
	c.DatabaseURL = dbURL
	c.RedisURL, c.RedisPrefix = r.URL, r.Prefix
	s3 := harness.S3(t)
	c.MinIO = bootstrap.MinIOConfig{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: s3.Bucket, Secure: s3.Secure}
}

// Start starts one fx app of role, logging to logs, and stops it when the test ends.
func Start(t testing.TB, c bootstrap.Config, role bootstrap.Role, logs io.Writer, extra ...fx.Option) {
	t.Helper()
	app := bootstrap.NewApp(c, role, logs, extra...)
	require.NoError(t, app.Err())
	ctx, cancel := context.WithTimeout(context.Background(), lifecycleLimit)
	defer cancel()
	require.NoError(t, app.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), lifecycleLimit)
		defer cancel()
		require.NoError(t, app.Stop(ctx))
	})
}

// StartAPI starts an app that serves the API (RoleAPI or RoleAll) as Start does, and
// returns a client of it that sends c's first API token, if any.
func StartAPI(t testing.TB, c bootstrap.Config, role bootstrap.Role, logs io.Writer, extra ...fx.Option) *Client {
	t.Helper()
	var srv *httpapi.Server
	Start(t, c, role, logs, append(extra, fx.Populate(&srv))...)
	return NewClient(t, srv, c)
}
