package ports

import (
	"context"

	"taskrunner/domain"
)

// RateLimiter counts events per key in a window shared by every process that uses the same
// backing store.
type RateLimiter interface {
	// Allow counts r.Events() events for r.Key if all of them fit r.Limit per r.Window,
	// atomically: either every one is counted or none is (a refused call counts nothing),
	// and the decision says when to retry. Remaining is what is left after an allowed
	// call. A cost above r.Limit can never fit: it is refused with a RetryAfter of the
	// window (at least a second).
	Allow(ctx context.Context, r domain.RateLimit) (domain.RateDecision, error)
}
