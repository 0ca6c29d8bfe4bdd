package application

import (
	"context"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// takeSlot counts one event of key against perMinute and refuses it with
// rate_limit_exceeded (and Retry-After) when the minute's slots are used up. A perMinute of
// 0 or less turns the limit off. what names the events in the message ("tasks").
func takeSlot(ctx context.Context, l ports.RateLimiter, key, what string, perMinute int) error {
	if perMinute <= 0 {
		return nil
	}
	dec, err := l.Allow(ctx, domain.RateLimit{Key: key, Limit: perMinute, Window: time.Minute})
	if err != nil {
		return err
	}
	if dec.Allowed {
		return nil
	}
	secs := max(domain.WholeSeconds(dec.RetryAfter), 1)
	e := domain.NewError(domain.CodeRateLimitExceeded, "more than %d %s per minute; retry in %d s", perMinute, what, secs).
		WithDetail("limit", perMinute).WithDetail("retry_after_seconds", secs)
	e.RetryAfter = time.Duration(secs) * time.Second
	return e
}
