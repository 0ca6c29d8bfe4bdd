package domain

import "time"

// Backoff is the delay before retry number attempt (1 for the first retry): base doubled
// per attempt, capped at max, with "equal jitter" (half fixed, half random, from jitter in
// [0,1)) so retries of tasks that failed together spread out yet never fire at once.
func Backoff(attempt int, base, max time.Duration, jitter float64) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(float64(half)*jitter)
}
