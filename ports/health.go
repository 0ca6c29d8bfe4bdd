package ports

import "context"

// Pinger is implemented by every adapter that talks to a backing service, for /health.
type Pinger interface {
	// Ping returns nil when the service answers, an error wrapping domain.ErrUnavailable
	// otherwise.
	Ping(ctx context.Context) error
}
