package sysclock_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/sysclock"
)

func TestNowIsUTCAndCurrent(t *testing.T) {
	t.Parallel()
	now := sysclock.Clock{}.Now()
	require.Equal(t, time.UTC, now.Location())
	require.WithinDuration(t, time.Now(), now, time.Minute)
}
