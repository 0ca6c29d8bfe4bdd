package application

import (
	"context"
	"time"
)

// sleepOrDone waits d or until ctx ends; it reports whether the full d passed (a d of zero
// or less passes at once, unless ctx has already ended). Waits are durations, so a runtime
// timer measures them rather than the injected clock, which gives only the time of day.
func sleepOrDone(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
