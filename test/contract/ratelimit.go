package contract

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// RateLimiter is the contract of ports.RateLimiter, for fixed- and sliding-window
// implementations alike. The limiter may be shared with other tests.
func RateLimiter(t *testing.T, newLimiter func(t *testing.T) ports.RateLimiter) {
	t.Helper()
	runSuite(t, newLimiter, []suiteCase[ports.RateLimiter]{
		{"Allow", "CountsToTheLimit", rateCounts},
		{"Allow", "KeysAreIndependent", rateKeys},
		{"Allow", "RetryAfterAtLeastASecond", rateRetryAfterMin},
		{"Allow", "AllowsAgainAfterWindow", rateWindowPasses},
		{"Allow", "RefusedEventsAreNotCounted", rateRefusedNotCounted},
		{"Allow", "AtomicUnderConcurrency", rateConcurrent},
		{"Allow", "CostTakesThatManySlots", rateCostCounts},
		{"Allow", "CostIsAllOrNone", rateCostAllOrNone},
		{"Allow", "CostAboveLimitIsRefused", rateCostAboveLimit},
		{"Allow", "CostOfAThousand", rateCostLarge},
		{"Allow", "CostAtomicUnderConcurrency", rateCostConcurrent},
	})
}

func rateKey() string { return "contract:rate:" + randomHex(8) }

func allow(t *testing.T, l ports.RateLimiter, r domain.RateLimit) domain.RateDecision {
	t.Helper()
	d, err := l.Allow(t.Context(), r)
	require.NoError(t, err, "Allow")
	if !d.Allowed {
		require.Equal(t, 0, d.Remaining, "a refusal leaves nothing remaining")
		require.GreaterOrEqual(t, d.RetryAfter, time.Second, "RetryAfter of a refusal")
	}
	return d
}

// requireAllowed checks that d allows, leaving remaining slots.
func requireAllowed(t *testing.T, d domain.RateDecision, remaining int, why ...any) {
	t.Helper()
	require.True(t, d.Allowed, why...)
	require.Equal(t, remaining, d.Remaining, why...)
}

// requireRefused checks that d refuses r, with a RetryAfter no later than r's window
// (plus a second of rounding).
func requireRefused(t *testing.T, d domain.RateDecision, r domain.RateLimit, why string) {
	t.Helper()
	require.False(t, d.Allowed, why)
	require.LessOrEqual(t, d.RetryAfter, r.Window+time.Second, "RetryAfter beyond the window")
}

// allowConcurrently makes n Allow calls of r at once and returns how many were allowed.
func allowConcurrently(t *testing.T, l ports.RateLimiter, r domain.RateLimit, n int) int {
	t.Helper()
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			d, err := l.Allow(t.Context(), r)
			if err != nil {
				t.Errorf("Allow: %v", err)
				return
			}
			if d.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	return int(allowed.Load())
}

func rateCounts(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 3, Window: time.Minute}
	for want := 2; want >= 0; want-- {
		requireAllowed(t, allow(t, l, r), want)
	}
	d := allow(t, l, r)
	requireRefused(t, d, r, "the fourth event in a minute")
}

func rateKeys(t *testing.T, l ports.RateLimiter) {
	a := domain.RateLimit{Key: rateKey(), Limit: 1, Window: time.Minute}
	b := a
	b.Key = rateKey()
	require.True(t, allow(t, l, a).Allowed)
	require.False(t, allow(t, l, a).Allowed)
	require.True(t, allow(t, l, b).Allowed, "another key has its own budget")
}

func rateRetryAfterMin(t *testing.T, l ports.RateLimiter) {
	// Even when the window is far shorter than a second, a refusal says "one second".
	for attempt := 0; ; attempt++ {
		r := domain.RateLimit{Key: rateKey(), Limit: 1, Window: 500 * time.Millisecond}
		require.True(t, allow(t, l, r).Allowed)
		if d := allow(t, l, r); !d.Allowed {
			return // allow checked RetryAfter >= 1s
		}
		require.Less(t, attempt, 5, "never refused within a 500ms window")
	}
}

func rateWindowPasses(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 2, Window: time.Second}
	require.True(t, allow(t, l, r).Allowed)
	require.True(t, allow(t, l, r).Allowed)
	require.False(t, allow(t, l, r).Allowed)
	eventually(t, wait, func() bool { return allow(t, l, r).Allowed }, "never allowed again after the window")
}

func rateRefusedNotCounted(t *testing.T, l ports.RateLimiter) {
	const window = 2 * time.Second
	r := domain.RateLimit{Key: rateKey(), Limit: 1, Window: window}
	start := time.Now()
	require.True(t, allow(t, l, r).Allowed)
	// Keep knocking for most of the window. Were refusals counted (in a sliding window),
	// the key would stay blocked until a full window after the last knock.
	for time.Since(start) < window*3/4 {
		if allow(t, l, r).Allowed {
			t.Fatalf("allowed a second event %s into a %s window", time.Since(start), window)
		}
		time.Sleep(20 * time.Millisecond)
	}
	eventually(t, wait, func() bool { return allow(t, l, r).Allowed }, "never allowed again")
	require.Less(t, time.Since(start), window+window/2, "refused events extended the block")
}

func rateConcurrent(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 10, Window: time.Minute}
	require.Equal(t, 10, allowConcurrently(t, l, r, 40), "exactly Limit events allowed")
}

func rateCostCounts(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 5, Window: time.Minute, Cost: 3}
	requireAllowed(t, allow(t, l, r), 2, "a cost of 3 takes 3 of 5 slots")
	r.Cost = 2
	requireAllowed(t, allow(t, l, r), 0)
	r.Cost = 0 // means 1
	d := allow(t, l, r)
	requireRefused(t, d, r, "the sixth event in a minute")
}

func rateCostAllOrNone(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 5, Window: time.Minute, Cost: 3}
	require.True(t, allow(t, l, r).Allowed)
	d := allow(t, l, r)
	requireRefused(t, d, r, "3 more do not fit in the 2 slots left")
	// Nothing of the refused call was counted: both slots are still there.
	r.Cost = 2
	requireAllowed(t, allow(t, l, r), 0, "a refused cost took some slots")
}

func rateCostAboveLimit(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 3, Window: time.Minute, Cost: 4}
	d := allow(t, l, r)
	requireRefused(t, d, r, "a cost above the limit can never fit")
	r.Cost = 3
	requireAllowed(t, allow(t, l, r), 0, "the refused cost took slots")
}

// A batch submit takes up to a thousand slots in one call.
func rateCostLarge(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 1500, Window: time.Minute, Cost: 1000}
	requireAllowed(t, allow(t, l, r), 500)
	require.False(t, allow(t, l, r).Allowed, "1000 more do not fit in 500")
	r.Cost = 500
	requireAllowed(t, allow(t, l, r), 0)
	r.Cost = 1
	require.False(t, allow(t, l, r).Allowed)
}

func rateCostConcurrent(t *testing.T, l ports.RateLimiter) {
	r := domain.RateLimit{Key: rateKey(), Limit: 10, Window: time.Minute, Cost: 3}
	require.Equal(t, 3, allowConcurrently(t, l, r, 20), "three calls of 3 fit in 10, a fourth does not")
	r.Cost = 1
	requireAllowed(t, allow(t, l, r), 0, "the one slot left")
}
