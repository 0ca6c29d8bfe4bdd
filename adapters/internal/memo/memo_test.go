package memo

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *stepClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func TestValueKeepsTheOutcomeForTheTTL(t *testing.T) {
	t.Parallel()
	clock := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := New[int](clock, time.Second)
	calls := 0
	errDown := errors.New("down")
	load := func() (int, error) {
		calls++
		if calls == 1 {
			return 0, errDown
		}
		return calls, nil
	}
	for range 3 {
		_, err := m.Get(load)
		require.ErrorIs(t, err, errDown, "a failure is kept for the ttl too")
	}
	clock.advance(time.Second)
	for range 3 {
		v, err := m.Get(load)
		require.NoError(t, err)
		require.Equal(t, 2, v)
	}
	require.Equal(t, 2, calls)
}

func TestValueSharesOneCallAmongConcurrentCallers(t *testing.T) {
	t.Parallel()
	m := New[int](nil, time.Hour) // the system clock
	// calls needs no lock of its own: load runs under m's.
	calls := 0
	got := make([]int, 20)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], _ = m.Get(func() (int, error) { calls++; time.Sleep(time.Millisecond); return 7, nil })
		})
	}
	wg.Wait()
	require.Equal(t, 1, calls)
	for _, v := range got {
		require.Equal(t, 7, v)
	}
}

func TestValueWithoutTTLLoadsEveryCall(t *testing.T) {
	t.Parallel()
	m := New[int](nil, 0)
	calls := 0
	for range 3 {
		_, _ = m.Get(func() (int, error) { calls++; return calls, nil })
	}
	require.Equal(t, 3, calls)
}
