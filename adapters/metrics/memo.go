package metrics

import (
	"sync"
	"time"

	"taskrunner/ports"
)

// memo keeps the outcome of one read for ttl. Callers that find it stale while a read is
// under way wait for that read instead of starting their own (single flight), so however
// many scrapes arrive, the store sees at most one query per ttl. Failures are kept for ttl
// too: a store that is down is not asked again by every scrape.
type memo[T any] struct {
	clock ports.Clock
	ttl   time.Duration

	mu      sync.Mutex
	loaded  bool
	expires time.Time
	val     T
	err     error
}

// get returns the kept outcome while it is fresh, else runs load (holding the lock, which
// is what makes concurrent callers share it) and keeps its outcome. A ttl of 0 loads on
// every call.
func (m *memo[T]) get(load func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.loaded && m.clock.Now().Before(m.expires) {
		return m.val, m.err
	}
	m.val, m.err = load()
	m.loaded, m.expires = true, m.clock.Now().Add(m.ttl)
	return m.val, m.err
}

// wallClock is the clock of a Metrics built without one.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now().UTC() }
