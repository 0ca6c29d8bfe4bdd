package harness_test

import (
	"flag"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/test/harness"
)

// TestShortRunsUseNoService: under -short (make test-unit) the service-backed helpers skip,
// even when TEST_REQUIRE_SERVICES=1 asks for services, and S3 is the in-process server.
// The service addresses point at a listener of the test's own: a helper that so much as
// dials one fails the test.
//
// Not parallel: it sets the environment and flips -short for the whole process.
func TestShortRunsUseNoService(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = lis.Close() })
	var dialled atomic.Int64
	go func() {
		for {
			c, err := lis.Accept()
			if err != nil {
				return // closed at the end of the test
			}
			dialled.Add(1)
			_ = c.Close()
		}
	}()
	addr := lis.Addr().String()
	t.Setenv("TEST_POSTGRES_URL", "postgres://postgres@"+addr+"/postgres?sslmode=disable")
	t.Setenv("TEST_REDIS_URL", "redis://"+addr+"/0")
	t.Setenv("TEST_S3_ENDPOINT", addr)
	t.Setenv("TEST_REQUIRE_SERVICES", "1")
	setShort(t, true)

	for name, use := range map[string]func(t *testing.T){
		"Postgres":           func(t *testing.T) { harness.Postgres(t) },
		"PostgresUnmigrated": func(t *testing.T) { harness.PostgresUnmigrated(t) },
		"PostgresSchema":     func(t *testing.T) { harness.PostgresSchema(t) },
		"Redis":              func(t *testing.T) { harness.Redis(t) },
	} {
		var skipped bool
		t.Run(name, func(t *testing.T) {
			defer func() { skipped = t.Skipped() }() // runs as Skip ends the subtest
			use(t)
		})
		require.True(t, skipped, "%s did not skip under -short", name)
	}

	var s3 harness.S3Target
	t.Run("S3", func(t *testing.T) { s3 = harness.S3(t) })
	require.Equal(t, "gofakes3", s3.Source, "S3 under -short is the in-process server")
	require.NotEqual(t, addr, s3.Endpoint)
	require.NotEmpty(t, s3.Bucket)

	// A last dial of our own, accepted after any earlier one, shows the count is complete.
	sentinel, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	_ = sentinel.Close()
	require.Eventually(t, func() bool { return dialled.Load() > 0 }, 5*time.Second, time.Millisecond)
	require.EqualValues(t, 1, dialled.Load(), "a -short run dialled a service address")
}

// setShort sets -short for the rest of the test and restores it after.
func setShort(t *testing.T, on bool) {
	t.Helper()
	was := testing.Short()
	require.NoError(t, flag.Set("test.short", strconv.FormatBool(on)))
	t.Cleanup(func() { _ = flag.Set("test.short", strconv.FormatBool(was)) })
	require.Equal(t, on, testing.Short())
}
