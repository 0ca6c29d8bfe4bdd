package bootstrap

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"taskrunner/ports"
	"taskrunner/test/harness"
)

// servicesConfig points a services-mode config at this test's own database (migrated
// unless told otherwise), Redis key prefix and bucket.
func servicesConfig(t *testing.T, dbURL string) Config {
	c := testConfig(t, ModeServices)
	c.DatabaseURL = dbURL
	rt := harness.Redis(t)
	c.RedisURL, c.RedisPrefix = rt.URL, rt.Prefix
	s3 := harness.S3(t)
	c.MinIO = MinIOConfig{Endpoint: s3.Endpoint, AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, Bucket: s3.Bucket, Secure: s3.Secure}
	return c
}

// Start reaches every service (and creates the bucket); /health then pings each by name.
func TestServicesAppStartsAndStops(t *testing.T) {
	t.Parallel()
	c := servicesConfig(t, harness.Postgres(t))
	var health map[string]ports.Pinger
	app := fxtest.New(t, appOptions(c, RoleAll, io.Discard, fx.Populate(&health))...)
	app.RequireStart()
	require.ElementsMatch(t, []string{"store", "queue", "blobs"}, keys(health))
	for name, p := range health {
		require.NoError(t, p.Ping(t.Context()), name)
	}
	app.RequireStop()
}

// The schema check still runs at start: a database that is behind stops start-up with the
// command that fixes it.
func TestServicesAppRefusesASchemaBehind(t *testing.T) {
	t.Parallel()
	c := servicesConfig(t, harness.PostgresUnmigrated(t))
	app := fxtest.New(t, appOptions(c, RoleAPI, io.Discard)...)
	ctx, cancel := context.WithTimeout(t.Context(), app.StartTimeout())
	defer cancel()
	err := app.Start(ctx)
	require.ErrorContains(t, err, "PostgreSQL (DATABASE_URL): database schema is empty")
	require.ErrorContains(t, err, "taskrunner migrate up")
}
