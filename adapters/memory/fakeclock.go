package memory

import (
	"sync"
	"time"

	"taskrunner/ports"
)

var _ ports.Clock = (*FakeClock)(nil)

// FakeClock is a ports.Clock that moves only when told to, for tests. Adapters in this
// package that wait for deadlines (the Queue) are notified when it moves, so a test can
// Advance past a NotBefore or a lease expiry and see the effect at once, without sleeping.
type FakeClock struct {
	mu        sync.Mutex
	now       time.Time
	listeners []func()
}

// NewFakeClock returns a clock that reads start (converted to UTC) until moved.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start.UTC()}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t (converted to UTC); moving backwards is allowed.
func (c *FakeClock) Set(t time.Time) {
	c.move(func(time.Time) time.Time { return t.UTC() })
}

// Advance moves the clock forward by d (atomically, so concurrent Advances add up).
func (c *FakeClock) Advance(d time.Duration) {
	c.move(func(now time.Time) time.Time { return now.Add(d) })
}

func (c *FakeClock) move(f func(time.Time) time.Time) {
	c.mu.Lock()
	c.now = f(c.now)
	ls := c.listeners
	c.mu.Unlock()
	// Called outside the lock: listeners read Now.
	for _, l := range ls {
		l()
	}
}

// onChange registers f to run after every Set or Advance.
func (c *FakeClock) onChange(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listeners = append(c.listeners[:len(c.listeners):len(c.listeners)], f)
}

// changeNotifier is implemented by clocks that can tell adapters they moved.
type changeNotifier interface {
	onChange(func())
}
