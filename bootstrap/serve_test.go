package bootstrap

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/test/harness"
)

// unreachableServices points every service of c at an address that refuses connections.
func unreachableServices(t *testing.T, c Config) Config {
	c.DatabaseURL = "postgres://u:secret@" + harness.RefusedAddr(t) + "/db?sslmode=disable"
	c.RedisURL = "redis://" + harness.RefusedAddr(t) + "/0"
	c.MinIO.Endpoint = harness.RefusedAddr(t)
	return c
}

// A service that cannot be reached fails start-up with one line naming it and its
// variable, not fx's chain of every constructor and hook that needed it.
func TestServeNamesTheRootCauseInOneLine(t *testing.T) {
	t.Parallel()
	c := unreachableServices(t, testConfig(t, ModeServices))
	for _, role := range []Role{RoleAPI, RoleWorker} {
		err := Serve(t.Context(), c, role, io.Discard)
		require.Error(t, err)
		msg := err.Error()
		require.True(t, strings.HasPrefix(msg, "start-up failed: PostgreSQL (DATABASE_URL): "), msg)
		require.NotContains(t, msg, "\n")
		require.NotContains(t, msg, "hook")
		require.NotContains(t, msg, "secret", "the password stays out")
	}

	// A configuration no constructor accepts fails before anything starts, as plainly.
	c.RedisURL = "http://user:secret@host"
	err := Serve(t.Context(), c, RoleWorker, io.Discard)
	require.EqualError(t, err, "start-up failed: Redis (REDIS_URL): redis URL is not valid (expected redis://[user:password@]host:port/db)")
}

// SIGINT (the end of Serve's context) while a service is slow to answer ends start-up: the
// connection is opened in OnStart with the start context, not in a constructor.
func TestServeIsInterruptedDuringAHungConnect(t *testing.T) {
	t.Parallel()
	hung, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	require.NoError(t, err)
	t.Cleanup(func() { _ = hung.Close() })
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			conn, err := hung.Accept()
			if err != nil {
				return
			}
			accepted <- conn
		}
	}()
	t.Cleanup(func() {
		for len(accepted) > 0 {
			_ = (<-accepted).Close()
		}
	})

	c := unreachableServices(t, testConfig(t, ModeServices))
	c.DatabaseURL = "postgres://u:p@" + hung.Addr().String() + "/db?sslmode=disable"
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, c, RoleAPI, io.Discard) }()

	select {
	case conn := <-accepted: // start-up is connecting to PostgreSQL
		accepted <- conn
	case err := <-done:
		t.Fatalf("Serve returned before connecting: %v", err)
	}
	cancel() // what SIGINT does to Serve's context
	err = <-done
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, "start-up interrupted: context canceled", err.Error())
}
