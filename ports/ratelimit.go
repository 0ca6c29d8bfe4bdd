package ports

import (
	"context"

	"taskrunner/domain"
)

// RateLimiter counts events per key in a window shared by every process that uses the same
// backing store.
type RateLimiter interface {
	// Allow counts one event for r.Key and reports whether it is within r.Limit per r.Window;
	// a refused event is not counted, and the decision says when to retry.
	Allow(ctx context.Context, r domain.RateLimit) (domain.RateDecision, error)
}
