package application

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// gate is a flush function the test steers: each flush reports its batch and, while hold
// is set, waits for a release.
type gate struct {
	mu      sync.Mutex
	batches [][]int
	hold    bool
	entered chan struct{}
	release chan struct{}
}

func newGate(hold bool) *gate {
	return &gate{hold: hold, entered: make(chan struct{}, 100), release: make(chan struct{}, 100)}
}

func (g *gate) flush(_ context.Context, reqs []int) []int {
	g.mu.Lock()
	g.batches = append(g.batches, append([]int(nil), reqs...))
	hold := g.hold
	g.mu.Unlock()
	g.entered <- struct{}{}
	if hold {
		<-g.release
	}
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r * 10
	}
	return out
}

func (g *gate) sizes() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	var n []int
	for _, b := range g.batches {
		n = append(n, len(b))
	}
	return n
}

func waitingCount(gc *groupCommit[int, int]) int {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	return len(gc.waiting)
}

func TestGroupCommitIdleCallsAreFlushedAlone(t *testing.T) {
	t.Parallel()
	g := newGate(false)
	gc := newGroupCommit(context.Background(), 64, 1, g.flush)
	for i := 1; i <= 5; i++ {
		res, err := gc.do(context.Background(), i)
		require.NoError(t, err)
		require.Equal(t, i*10, res)
	}
	require.Equal(t, []int{1, 1, 1, 1, 1}, g.sizes(), "a call with nobody else waiting is flushed at once, alone")
}

func TestGroupCommitBatchesWhatArrivesDuringAFlush(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	gc := newGroupCommit(context.Background(), 64, 1, g.flush)
	results := make([]int, 21)
	var wg sync.WaitGroup
	call := func(i int) {
		defer wg.Done()
		res, err := gc.do(context.Background(), i)
		require.NoError(t, err)
		results[i] = res
	}
	wg.Add(1)
	go call(0)
	<-g.entered // the first flush is in flight, alone
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go call(i)
	}
	require.Eventually(t, func() bool { return waitingCount(gc) == 20 }, 5*time.Second, time.Millisecond)
	g.release <- struct{}{} // the first flush ends; the 20 waiting form the next batch
	<-g.entered
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, []int{1, 20}, g.sizes())
	for i, r := range results {
		require.Equal(t, i*10, r, "each caller gets its own result")
	}
}

func TestGroupCommitBatchIsBounded(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	gc := newGroupCommit(context.Background(), 8, 1, g.flush)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = gc.do(context.Background(), 0) }()
	<-g.entered
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = gc.do(context.Background(), i) }()
	}
	require.Eventually(t, func() bool { return waitingCount(gc) == 20 }, 5*time.Second, time.Millisecond)
	g.mu.Lock()
	g.hold = false
	g.mu.Unlock()
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, []int{1, 8, 8, 4}, g.sizes())
}

func TestGroupCommitSlotsFlushInParallel(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	gc := newGroupCommit(context.Background(), 64, 2, g.flush)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); _, _ = gc.do(context.Background(), i) }()
	}
	<-g.entered
	<-g.entered // two flushes in flight at once
	g.release <- struct{}{}
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, []int{1, 1}, g.sizes())
}

func TestGroupCommitAbandonedResultIsHandedToTheHook(t *testing.T) {
	t.Parallel()
	g := newGate(true)
	gc := newGroupCommit(context.Background(), 64, 1, g.flush)
	abandoned := make(chan int, 1)
	gc.abandoned = func(r int) { abandoned <- r }

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = gc.do(context.Background(), 1) }()
	<-g.entered
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := gc.do(ctx, 7); errc <- err }()
	require.Eventually(t, func() bool { return waitingCount(gc) == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	g.release <- struct{}{}
	<-g.entered // the abandoned call is still flushed (its caller may have been answered by a write)
	g.release <- struct{}{}
	wg.Wait()
	require.Equal(t, 70, <-abandoned)
}
