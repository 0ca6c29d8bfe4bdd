package redis_test

import (
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/test/logcapture"
)

// go-redis's own complaint about a server it cannot dial goes into the JSON log as
// redis_client (and, without a Config.Log, nowhere: not as a plain line on stderr).
func TestGoRedisMessagesGoToTheJSONLog(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	logs := &logcapture.Buffer{}
	c, err := redis.NewClient(redis.Config{URL: "redis://" + addr + "/0", Prefix: "clientlog",
		Log: slog.New(slog.NewJSONHandler(logs, nil))})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.Error(t, redis.Ping(t.Context(), c))

	require.Eventually(t, func() bool {
		for _, e := range logs.Events("redis_client") {
			if msg, _ := e["message"].(string); strings.Contains(msg, addr) {
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond, "no redis_client event naming %s in:\n%s", addr, logs.String())
}
