package memory_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/domain"
)

// A refused cost waits for as many of the oldest events to leave the window as it needs,
// not just the oldest one: the exact RetryAfter, which the contract suite's real clock
// cannot pin down.
func TestRateLimiterCostRetryAfterWaitsForEnoughSlots(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := memory.NewFakeClock(start)
	l := memory.NewRateLimiter(clock)
	r := domain.RateLimit{Key: "client", Limit: 3, Window: time.Minute}
	for range 3 { // events at 0 s, 10 s and 20 s
		d, err := l.Allow(t.Context(), r)
		require.NoError(t, err)
		require.True(t, d.Allowed)
		clock.Advance(10 * time.Second)
	}
	clock.Set(start.Add(25 * time.Second))

	r.Cost = 2
	d, err := l.Allow(t.Context(), r)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.Equal(t, 45*time.Second, d.RetryAfter, "two slots are free once the event at 10 s leaves, at 70 s")

	clock.Set(start.Add(70 * time.Second))
	d, err = l.Allow(t.Context(), r)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	require.Equal(t, 0, d.Remaining)
}
