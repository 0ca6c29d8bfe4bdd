package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.RateLimiter = (*RateLimiter)(nil)
	_ ports.Pinger      = (*RateLimiter)(nil)
)

// RateLimiter is an in-memory ports.RateLimiter using a sliding-window log: each key keeps
// the times of its allowed events inside the window, so a burst at a window boundary cannot
// double the rate (as a fixed window would allow). Refused events are not recorded.
type RateLimiter struct {
	clock ports.Clock

	mu    sync.Mutex
	keys  map[string]*window
	calls int
}

type window struct {
	events []time.Time // allowed events, oldest first
	span   time.Duration
}

// NewRateLimiter returns a limiter that reads time from clock.
func NewRateLimiter(clock ports.Clock) *RateLimiter {
	return &RateLimiter{clock: clock, keys: map[string]*window{}}
}

// Ping always succeeds: there is no backing service.
func (l *RateLimiter) Ping(context.Context) error { return nil }

// Allow counts one event for r.Key if it fits r.Limit per r.Window. A refusal's RetryAfter
// is when the oldest counted event leaves the window, rounded up to whole seconds (as the
// Retry-After header needs) and at least one second.
func (l *RateLimiter) Allow(ctx context.Context, r domain.RateLimit) (domain.RateDecision, error) {
	if err := ctx.Err(); err != nil {
		return domain.RateDecision{}, err
	}
	if r.Limit <= 0 || r.Window <= 0 {
		return domain.RateDecision{}, fmt.Errorf("memory rate limiter: limit and window must be > 0, got %d per %s", r.Limit, r.Window)
	}
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweepLocked(now)
	w := l.keys[r.Key]
	if w == nil {
		w = &window{}
		l.keys[r.Key] = w
	}
	w.span = r.Window
	w.prune(now)
	if len(w.events) >= r.Limit {
		wait := w.events[len(w.events)-r.Limit].Add(r.Window).Sub(now)
		return domain.RateDecision{Allowed: false, Remaining: 0, RetryAfter: retryAfter(wait)}, nil
	}
	w.events = append(w.events, now)
	return domain.RateDecision{Allowed: true, Remaining: r.Limit - len(w.events)}, nil
}

// prune drops events that left the window.
func (w *window) prune(now time.Time) {
	cut := now.Add(-w.span)
	i := 0
	for i < len(w.events) && !w.events[i].After(cut) {
		i++
	}
	if i > 0 {
		w.events = append(w.events[:0], w.events[i:]...)
	}
}

// sweepLocked forgets idle keys now and then, so one-off clients do not accumulate.
func (l *RateLimiter) sweepLocked(now time.Time) {
	l.calls++
	if l.calls%sweepEvery != 0 {
		return
	}
	for k, w := range l.keys {
		w.prune(now)
		if len(w.events) == 0 {
			delete(l.keys, k)
		}
	}
}

// retryAfter rounds a wait up to whole seconds, at least one.
func retryAfter(wait time.Duration) time.Duration {
	s := (wait + time.Second - 1) / time.Second
	return max(s, 1) * time.Second
}
