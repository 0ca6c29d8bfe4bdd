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

// A window frees up again and RetryAfter is at least a second even when the window is
// shorter. (That refusals are not counted is the contract suite's to check.)
func TestRateLimiterWindowSlides(t *testing.T) {
	t.Parallel()
	r := harness.Redis(t)
	l, err := redis.NewRateLimiter(r.Client, r.Prefix)
	require.NoError(t, err)
	const window = 800 * time.Millisecond
	rl := domain.RateLimit{Key: "k", Limit: 2, Window: window}
	start := time.Now()
	for range 2 {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	// Knock during the first half of the window only, so a slow machine cannot let the
	// window pass between the admissions and a knock.
	for time.Since(start) < window/2 {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		if time.Since(start) < window {
			require.False(t, d.Allowed)
			require.GreaterOrEqual(t, d.RetryAfter, time.Second)
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, err := l.Allow(t.Context(), rl)
		require.NoError(t, err)
		if d.Allowed {
			return
		}
		require.True(t, time.Now().Before(deadline), "the window never freed up")
		time.Sleep(20 * time.Millisecond)
	}
}
