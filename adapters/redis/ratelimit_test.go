package redis_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

// The limit holds across processes: two limiters on two clients count into one window.
func TestRateLimiterSharedAcrossProcesses(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	a, err := redis.NewRateLimiter(process(t, r), r.Prefix)
	require.NoError(t, err)
	b, err := redis.NewRateLimiter(process(t, r), r.Prefix)
	require.NoError(t, err)
	rl := domain.RateLimit{Key: "client-1", Limit: 5, Window: time.Minute}

	for i, l := range []*redis.RateLimiter{a, b, a, b, a} {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		require.True(t, d.Allowed, "event %d", i)
		require.Equal(t, 4-i, d.Remaining, "event %d", i)
	}
	for _, l := range []*redis.RateLimiter{a, b} {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		require.False(t, d.Allowed)
		require.GreaterOrEqual(t, d.RetryAfter, 50*time.Second)
		require.LessOrEqual(t, d.RetryAfter, time.Minute)
	}
	other, err := b.Allow(t.Context(), domain.RateLimit{Key: "client-2", Limit: 5, Window: time.Minute})
	require.NoError(t, err)
	require.True(t, other.Allowed, "keys are counted apart")
}

// A short window frees up again, refused events did not count, and RetryAfter is at least
// a second even when the window is shorter.
func TestRateLimiterWindowSlides(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	l, err := redis.NewRateLimiter(r.Client, r.Prefix)
	require.NoError(t, err)
	rl := domain.RateLimit{Key: "k", Limit: 2, Window: 300 * time.Millisecond}
	for range 2 {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	for range 5 {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		require.False(t, d.Allowed)
		require.GreaterOrEqual(t, d.RetryAfter, time.Second)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		if d.Allowed {
			require.Equal(t, 1, d.Remaining, "the refused events were not counted")
			break
		}
		require.True(t, time.Now().Before(deadline), "the window never freed up")
		time.Sleep(20 * time.Millisecond)
	}
}
