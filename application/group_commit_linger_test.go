package application

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// steppedClock is a groupCommit clock that moves only when the test says so.
type steppedClock struct{ ns atomic.Int64 }

func (c *steppedClock) now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *steppedClock) step(d time.Duration) { c.ns.Add(int64(d)) }

// burst makes the committer's last batch one of three: a lone call is held in flight
// while three more arrive, then both flushes are let go.
func burst(t *testing.T, gc *groupCommit[int, int], g *gate) {
	t.Helper()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = gc.do(context.Background(), 0) }()
	<-g.entered
	for i := 1; i <= 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = gc.do(context.Background(), i) }()
	}
	require.Eventually(t, func() bool { return waitingCount(gc) == 3 }, 5*time.Second, time.Millisecond)
	g.release <- struct{}{}
	<-g.entered
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, []int{1, 3}, g.sizes())
}

func TestGroupCommitUnderLoadWaitsForTheBatchToFill(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	clock := &steppedClock{}
	// A linger far longer than the test: the batch below can only form by filling up.
	gc := newGroupCommit(context.Background(), 64, 1, g.flush).lingering(time.Hour)
	gc.now = clock.now
	burst(t, gc, g)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = gc.do(context.Background(), 4) }()
	require.Eventually(t, func() bool { // the leader lingers: its batch is smaller than the last
		gc.mu.Lock()
		defer gc.mu.Unlock()
		return gc.filled != nil
	}, 5*time.Second, time.Millisecond)
	for i := 5; i <= 6; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = gc.do(context.Background(), i) }()
	}
	<-g.entered
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, []int{1, 3, 3}, g.sizes(), "the three calls of a busy system go in one batch")
}

func TestGroupCommitLingerIsBounded(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	clock := &steppedClock{}
	gc := newGroupCommit(context.Background(), 64, 1, g.flush).lingering(time.Millisecond)
	gc.now = clock.now
	burst(t, gc, g)

	done := make(chan int, 1)
	go func() { r, _ := gc.do(context.Background(), 4); done <- r }()
	<-g.entered // nobody else comes: the lone call is flushed once the linger has passed
	g.release <- struct{}{}
	require.Equal(t, 40, <-done)
	require.Equal(t, []int{1, 3, 1}, g.sizes())
}

func TestGroupCommitCallAfterAQuietSpellIsFlushedAtOnce(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	clock := &steppedClock{}
	gc := newGroupCommit(context.Background(), 64, 1, g.flush).lingering(time.Hour)
	gc.now = clock.now
	burst(t, gc, g)
	clock.step(time.Hour) // as long as the linger since the last flush ended: the system is idle

	done := make(chan int, 1)
	go func() { r, _ := gc.do(context.Background(), 4); done <- r }()
	<-g.entered // with an hour's linger, only an idle flush gets here
	g.release <- struct{}{}
	require.Equal(t, 40, <-done)
	require.Equal(t, []int{1, 3, 1}, g.sizes())
}

func TestGroupCommitLingerEndsWithItsContext(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	clock := &steppedClock{}
	base, stop := context.WithCancel(context.Background())
	gc := newGroupCommit(base, 64, 1, g.flush).lingering(time.Hour)
	gc.now = clock.now
	burst(t, gc, g)

	done := make(chan int, 1)
	go func() { r, _ := gc.do(context.Background(), 4); done <- r }()
	require.Eventually(t, func() bool {
		gc.mu.Lock()
		defer gc.mu.Unlock()
		return gc.filled != nil
	}, 5*time.Second, time.Millisecond)
	stop() // shutting down: the leader stops waiting for company and flushes
	<-g.entered
	g.release <- struct{}{}
	require.Equal(t, 40, <-done)
}
