package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

// ClockOptions declares what differs between clocks.
type ClockOptions struct {
	// Advance moves a manual clock (one made by the factory) forward by d; nil for a clock
	// that follows the wall clock. A manual clock stands still between Advances.
	Advance func(c ports.Clock, d time.Duration)
}

// Clock is the contract of ports.Clock. A factory for a manual clock should start it in a
// zone other than UTC, so the suite sees that Now converts.
func Clock(t *testing.T, newClock func(t *testing.T) ports.Clock, opts ClockOptions) {
	t.Helper()
	cases := []suiteCase[ports.Clock]{
		{"Now", "IsUTC", func(t *testing.T, c ports.Clock) {
			require.Equal(t, time.UTC, c.Now().Location())
		}},
		{"Now", "ConcurrentCalls", clockConcurrent},
	}
	// A wall clock may be stepped back by the system (NTP); only a manual clock can promise
	// never to go backwards.
	if opts.Advance == nil {
		cases = append(cases,
			suiteCase[ports.Clock]{"Now", "IsTheCurrentTime", func(t *testing.T, c ports.Clock) {
				require.WithinDuration(t, time.Now(), c.Now(), time.Minute)
			}},
			suiteCase[ports.Clock]{"Now", "MovesForward", func(t *testing.T, c ports.Clock) {
				first := c.Now()
				eventually(t, wait, func() bool { return c.Now().After(first) }, "Now stays at %s", first)
			}},
		)
	} else {
		cases = append(cases,
			suiteCase[ports.Clock]{"Now", "NeverGoesBackwards", clockMonotonic},
			suiteCase[ports.Clock]{"Now", "StandsStill", func(t *testing.T, c ports.Clock) {
				first := c.Now()
				for range 100 {
					require.True(t, first.Equal(c.Now()), "a manual clock moved by itself")
				}
			}},
			suiteCase[ports.Clock]{"Now", "MovesByAdvance", func(t *testing.T, c ports.Clock) {
				before := c.Now()
				for _, d := range []time.Duration{time.Nanosecond, time.Second, 90 * time.Minute, 400 * 24 * time.Hour} {
					opts.Advance(c, d)
					after := c.Now()
					require.Equal(t, d, after.Sub(before), "Advance(%s)", d)
					require.Equal(t, time.UTC, after.Location())
					before = after
				}
				opts.Advance(c, 0)
				require.True(t, before.Equal(c.Now()), "Advance(0) does not move the clock")
			}},
		)
	}
	runSuite(t, newClock, cases)
}

func clockMonotonic(t *testing.T, c ports.Clock) {
	prev := c.Now()
	for range 10000 {
		now := c.Now()
		require.False(t, now.Before(prev), "Now went from %s back to %s", prev, now)
		prev = now
	}
}

// clockConcurrent reads the clock from several goroutines, for -race.
func clockConcurrent(t *testing.T, c ports.Clock) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	require.Equal(t, time.UTC, c.Now().Location())
}
