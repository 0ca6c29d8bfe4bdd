package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	goredis "github.com/redis/go-redis/v9"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

// A server that cannot be reached is domain.ErrUnavailable (code "unavailable") from every
// adapter, and Connect refuses to start.
func TestUnreachableServerIsUnavailable(t *testing.T) {
	t.Parallel()
	addr := harness.RefusedAddr(t)
	_, err := redis.Connect(t.Context(), redis.Config{URL: "redis://" + addr + "/0", Prefix: "x"})
	require.ErrorIs(t, err, domain.ErrUnavailable)

	c := goredis.NewClient(&goredis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	q, err := redis.NewQueue(c, "x")
	require.NoError(t, err)
	cache, err := redis.NewCache(c, "x")
	require.NoError(t, err)
	limiter, err := redis.NewRateLimiter(c, "x")
	require.NoError(t, err)
	signals, err := redis.NewCancelSignals(c, "x")
	require.NoError(t, err)

	requireUnavailable := func(err error, op string) {
		t.Helper()
		require.ErrorIs(t, err, domain.ErrUnavailable, op)
		require.Equal(t, domain.CodeUnavailable, domain.CodeOf(err), op)
	}
	requireUnavailable(q.Ping(ctx), "Ping")
	requireUnavailable(q.Enqueue(ctx, domain.QueueItem{TaskID: "t"}), "Enqueue")
	_, err = q.Dequeue(ctx, time.Minute)
	requireUnavailable(err, "Dequeue")
	requireUnavailable(q.Ack(ctx, domain.Lease{TaskID: "t", Token: "x"}), "Ack")
	_, err = q.Depth(ctx)
	requireUnavailable(err, "Depth")
	_, _, err = cache.Get(ctx, "k")
	requireUnavailable(err, "Cache.Get")
	_, err = limiter.Allow(ctx, domain.RateLimit{Key: "k", Limit: 1, Window: time.Minute})
	requireUnavailable(err, "Allow")
	requireUnavailable(signals.Publish(ctx, "t"), "Publish")
	_, err = signals.Subscribe(ctx)
	requireUnavailable(err, "Subscribe")
}

func TestConnectRejectsBadConfig(t *testing.T) {
	t.Parallel()
	_, err := redis.Connect(t.Context(), redis.Config{URL: "http://user:secret@host", Prefix: "x"})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "secret", "the password never appears in errors")
	_, err = redis.Connect(t.Context(), redis.Config{URL: "redis://127.0.0.1:6379", Prefix: "{x}"})
	require.Error(t, err)
}

// NewClient does no I/O, so a process assembles without Redis; Ping, run at start, is what
// finds it unreachable.
func TestNewClientWaitsForPing(t *testing.T) {
	t.Parallel()
	c, err := redis.NewClient(redis.Config{URL: "redis://" + harness.RefusedAddr(t) + "/0", Prefix: "x"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.ErrorIs(t, redis.Ping(t.Context(), c), domain.ErrUnavailable)
	_, err = redis.NewClient(redis.Config{URL: "redis://127.0.0.1:6379", Prefix: "{x}"})
	require.Error(t, err)
}
