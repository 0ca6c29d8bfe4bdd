package domain_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestRetryAfterSeconds(t *testing.T) {
	t.Parallel()
	require.Zero(t, domain.RetryAfterSeconds(0))
	require.Zero(t, domain.RetryAfterSeconds(-5))
	require.Equal(t, 7*time.Second, domain.RetryAfterSeconds(7))
	require.Equal(t, 3153600000*time.Second, domain.RetryAfterSeconds(3153600000), "a century still fits")
	for _, huge := range []int64{9223372037, math.MaxInt32 * 100, math.MaxInt64} {
		require.Equal(t, time.Duration(math.MaxInt64), domain.RetryAfterSeconds(huge), "saturates, never wraps: %d", huge)
	}
}

func TestWholeSeconds(t *testing.T) {
	t.Parallel()
	require.Equal(t, int64(0), domain.WholeSeconds(0))
	require.Equal(t, int64(1), domain.WholeSeconds(time.Millisecond))
	require.Equal(t, int64(4), domain.WholeSeconds(3200*time.Millisecond))
	require.Equal(t, int64(60), domain.WholeSeconds(time.Minute))
	require.Equal(t, int64(9223372037), domain.WholeSeconds(time.Duration(math.MaxInt64)))
}
