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
	// The callers are answered before the leader records when its flush ended; wait for it
	// to go idle, so a test that steps the clock next steps it after that record.
	require.Eventually(t, func() bool {
		gc.mu.Lock()
		defer gc.mu.Unlock()
		return gc.active == 0
	}, 5*time.Second, time.Millisecond)
}

// afterBurst is a committer on a stepped clock whose last batch held three calls.
func afterBurst(t *testing.T, base context.Context, linger time.Duration) (*groupCommit[int, int], *gate, *steppedClock) {
	t.Helper()
	g := newGate(true)
	clock := &steppedClock{}
	gc := newGroupCommit(base, 64, 1, g.flush).lingering(linger)
	gc.now = clock.now
	burst(t, gc, g)
	return gc, g, clock
}

// lingering reports whether a leader waits for its batch to fill.
func lingering(gc *groupCommit[int, int]) bool {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	return gc.filled != nil
}

// loneCall makes one call, lets its flush through once it comes, and returns its result.
func loneCall(gc *groupCommit[int, int], g *gate, before func()) int {
	done := make(chan int, 1)
	go func() { r, _ := gc.do(context.Background(), 4); done <- r }()
	before()
	<-g.entered
	g.release <- struct{}{}
	return <-done
}

func TestGroupCommitUnderLoadWaitsForTheBatchToFill(t *testing.T) {
	t.Parallel()
	// A linger far longer than the test: the batch below can only form by filling up.
	gc, g, _ := afterBurst(t, context.Background(), time.Hour)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = gc.do(context.Background(), 4) }()
	// The leader lingers: its batch is smaller than the last.
	require.Eventually(t, func() bool { return lingering(gc) }, 5*time.Second, time.Millisecond)
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
	gc, g, _ := afterBurst(t, context.Background(), time.Millisecond)
	// Nobody else comes: the lone call is flushed once the linger has passed.
	require.Equal(t, 40, loneCall(gc, g, func() {}))
	require.Equal(t, []int{1, 3, 1}, g.sizes())
}

func TestGroupCommitCallAfterAQuietSpellIsFlushedAtOnce(t *testing.T) {
	t.Parallel()
	gc, g, clock := afterBurst(t, context.Background(), time.Hour)
	clock.step(time.Hour) // as long as the linger since the last flush ended: the system is idle
	// With an hour's linger, only an idle flush comes through.
	require.Equal(t, 40, loneCall(gc, g, func() {}))
	require.Equal(t, []int{1, 3, 1}, g.sizes())
}

func TestGroupCommitLingerEndsWithItsContext(t *testing.T) {
	t.Parallel()
	base, stop := context.WithCancel(context.Background())
	gc, g, _ := afterBurst(t, base, time.Hour)
	require.Equal(t, 40, loneCall(gc, g, func() {
		require.Eventually(t, func() bool { return lingering(gc) }, 5*time.Second, time.Millisecond)
		stop() // shutting down: the leader stops waiting for company and flushes
	}))
}
