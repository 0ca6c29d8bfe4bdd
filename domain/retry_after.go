package domain

import (
	"math"
	"time"
)

// maxWaitSeconds is the longest whole-second wait a Duration holds (about 292 years).
const maxWaitSeconds = math.MaxInt64 / int64(time.Second)

// RetryAfterSeconds is a server's wait of n seconds (a Retry-After header, a rate-limit
// reset) as an Error.RetryAfter. A wait too long for a Duration saturates at the longest
// one rather than overflowing into a short or negative wait, so the worker still sees it
// as beyond its retry cap; n <= 0 is no wait.
func RetryAfterSeconds(n int64) time.Duration {
	switch {
	case n <= 0:
		return 0
	case n > maxWaitSeconds:
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(n) * time.Second
}

// WholeSeconds is d in seconds, rounded up, for the places that show a wait in seconds
// (the Retry-After header, messages). It does not overflow for the longest Duration.
func WholeSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second > 0 {
		s++
	}
	return s
}
