// Package memo keeps the outcome of one call for a time-to-live, single flight: the /health
// probes of the HTTP API and the store reads behind a metrics scrape share it, so however
// often they are asked, the backing services see at most one call per ttl. It sits under
// adapters/internal because it is a library, not an adapter: it implements no port and
// bootstrap never wires it, and an adapter may import a library but never another adapter.
package memo

import (
	"sync"
	"time"

	"taskrunner/ports"
)

// Value keeps the outcome of one call for ttl. Callers that find it stale while a call is
// under way wait for that call instead of starting their own (single flight). Failures
// are kept for ttl too: a service that is down is not asked again by every caller.
type Value[T any] struct {
	clock ports.Clock
	ttl   time.Duration

	mu      sync.Mutex
	loaded  bool
	expires time.Time
	val     T
	err     error
}

// New returns an empty Value kept for ttl as clock tells it; a nil clock means the system
// clock, and a ttl <= 0 loads on every call.
func New[T any](clock ports.Clock, ttl time.Duration) *Value[T] {
	if clock == nil {
		clock = wallClock{}
	}
	return &Value[T]{clock: clock, ttl: ttl}
}

// Get returns the kept outcome while it is fresh, else runs load (holding the lock, which
// is what makes concurrent callers share it) and keeps its outcome.
func (m *Value[T]) Get(load func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded && m.clock.Now().Before(m.expires) {
		return m.val, m.err
	}
	m.val, m.err = load()
	m.loaded, m.expires = true, m.clock.Now().Add(m.ttl)
	return m.val, m.err
}

// wallClock is the clock of a Value built without one.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now().UTC() }
