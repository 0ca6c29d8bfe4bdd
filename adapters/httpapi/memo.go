package httpapi

import (
	"sync"
	"time"

	"taskrunner/ports"
)

// memo keeps the outcome of one call for ttl. Callers that find it stale while a call is
// under way wait for that call instead of starting their own (single flight), so however
// often /health is asked, the backing services are pinged at most once per ttl.
type memo[T any] struct {
	clock ports.Clock
	ttl   time.Duration

	mu      sync.Mutex
	loaded  bool
	expires time.Time
	val     T
}

// get returns the kept value while it is fresh, else runs load (holding the lock, which is
// what makes concurrent callers share it) and keeps its value. A ttl <= 0 loads every time.
func (m *memo[T]) get(load func() T) T {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded && m.clock.Now().Before(m.expires) {
		return m.val
	}
	m.val = load()
	m.loaded, m.expires = true, m.clock.Now().Add(m.ttl)
	return m.val
}

// wallClock is the clock of a server built without one.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now().UTC() }
