package ports

import (
	"context"
	"time"
)

// Cache stores bytes under a key for a time.
type Cache interface {
	// Get returns the value and true, or nil and false when the key is absent or expired.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores the value for ttl (> 0), replacing any earlier one.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
}
