package redis

import (
	"testing"
	"time"
)

// TestUnixMsNeverEarly: a not-before time between two milliseconds is delivered at the
// later one, so a deferred task never starts before its run_at.
func TestUnixMsNeverEarly(t *testing.T) {
	base := time.UnixMilli(1_700_000_000_123)
	cases := map[time.Time]string{
		{}:                               "0",
		base:                             "1700000000123",
		base.Add(time.Nanosecond):        "1700000000124",
		base.Add(999 * time.Microsecond): "1700000000124",
		base.Add(-time.Nanosecond):       "1700000000123",
	}
	for in, want := range cases {
		if got := unixMs(in); got != want {
			t.Errorf("unixMs(%v) = %s, want %s", in, got, want)
		}
	}
}
