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
	return takeSlots(ctx, l, key, what, perMinute, 1)
}

// takeSlots is takeSlot for n events at once, all or none: a batch of n tasks takes n
// slots, and is refused whole when fewer are left. A batch larger than the whole limit is
// refused too (it can never fit), with the window as Retry-After and a message that says
// to split it.
func takeSlots(ctx context.Context, l ports.RateLimiter, key, what string, perMinute, n int) error {
	if perMinute <= 0 {
		return nil
	}
	dec, err := l.Allow(ctx, domain.RateLimit{Key: key, Limit: perMinute, Window: time.Minute, Cost: n})
	if err != nil {
		return err
	}
	if dec.Allowed {
		return nil
	}
	secs := max(domain.WholeSeconds(dec.RetryAfter), 1)
	var e *domain.Error
	switch {
	case n > perMinute:
		e = domain.NewError(domain.CodeRateLimitExceeded, "%d %s are more than the limit of %d per minute; split them into smaller batches", n, what, perMinute)
	case n > 1:
		e = domain.NewError(domain.CodeRateLimitExceeded, "%d %s do not fit in what is left of %d per minute; retry in %d s", n, what, perMinute, secs)
	default:
		e = domain.NewError(domain.CodeRateLimitExceeded, "more than %d %s per minute; retry in %d s", perMinute, what, secs)
	}
	e.WithDetail("limit", perMinute).WithDetail("retry_after_seconds", secs)
	if n > 1 {
		e.WithDetail("requested", n)
	}
	e.RetryAfter = time.Duration(secs) * time.Second
	return e
}
