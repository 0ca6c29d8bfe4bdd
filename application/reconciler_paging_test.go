package application_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/logcapture"
)

// watchedQueue is a memory queue that records the ids Contains is asked about and fails
// Contains for the ids (or, with down, for every id) the test chooses.
type watchedQueue struct {
	*memory.Queue
	mu      sync.Mutex
	checked []string
	down    bool
	poison  map[string]bool

	// With gateAt > 0, calls wait until gateAt are in flight at once (or waitLimit passes),
	// so the test sees the reconciler's real parallelism; maxInFlight records it.
	gateAt      int
	gate        chan struct{}
	inFlight    int
	maxInFlight int
}

var errQueueDown = errors.New("queue down")

func (q *watchedQueue) Contains(ctx context.Context, id string) (bool, error) {
	q.mu.Lock()
	q.checked = append(q.checked, id)
	fail := q.down || q.poison[id]
	q.inFlight++
	q.maxInFlight = max(q.maxInFlight, q.inFlight)
	if q.gateAt > 0 && q.inFlight == q.gateAt {
		close(q.gate)
		q.gateAt = 0
	}
	gate := q.gate
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.inFlight--
		q.mu.Unlock()
	}()
	if gate != nil {
		select {
		case <-gate:
		case <-time.After(waitLimit):
		}
	}
	if fail {
		return false, errQueueDown
	}
	return q.Queue.Contains(ctx, id)
}

func (q *watchedQueue) setDown(down bool) {
	q.mu.Lock()
	q.down = down
	q.mu.Unlock()
}

// takeChecked returns the ids checked since the last call.
func (q *watchedQueue) takeChecked() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.checked
	q.checked = nil
	return out
}

func newPagingRig(t *testing.T, cfg application.ReconcilerConfig) (*reconcilerRig, *watchedQueue) {
	t.Helper()
	clock := memory.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	r := &reconcilerRig{clock: clock, store: memory.NewTaskStore(), queue: memory.NewQueue(clock), logs: &logcapture.Buffer{}}
	wq := &watchedQueue{Queue: r.queue, poison: map[string]bool{}}
	cfg.QueuedGrace = 5 * time.Second
	rec, err := application.NewReconciler(application.ReconcilerDeps{
		Store: r.store, Queue: wq, Clock: clock, Log: slog.New(slog.NewJSONHandler(r.logs, nil)),
	}, cfg)
	require.NoError(t, err)
	r.rec = rec
	return r, wq
}

// backlog stores n queued tasks one millisecond apart, oldest first, every one held by the
// queue except those whose index is in lost; then it lets them all go stale.
func (r *reconcilerRig) backlog(t *testing.T, n int, lost ...int) []domain.Task {
	t.Helper()
	tasks := make([]domain.Task, n)
	for i := range tasks {
		tasks[i] = r.put(t, domain.StatusQueued, 0)
		r.clock.Advance(time.Millisecond)
		if !containsInt(lost, i) {
			require.NoError(t, r.queue.Enqueue(context.Background(), domain.QueueItem{TaskID: tasks[i].ID}))
		}
	}
	r.clock.Advance(6 * time.Second)
	return tasks
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func idsOf(tasks []domain.Task) []string {
	out := make([]string, len(tasks))
	for i, t := range tasks {
		out[i] = t.ID
	}
	return out
}

// TestReconcilerPagesThroughDeepBacklog: more stale tasks than a pass reads are all still
// queued, and one behind them was lost. Passes walk on from where the last one stopped, so
// it is found once the walk reaches it, each task checked once per walk, and the next pass
// starts again from the oldest.
func TestReconcilerPagesThroughDeepBacklog(t *testing.T) {
	t.Parallel()
	r, q := newPagingRig(t, application.ReconcilerConfig{BatchSize: 10, MaxPages: 2})
	tasks := r.backlog(t, 46, 45) // the newest is the lost one
	lost := tasks[45]

	require.Zero(t, r.runOnce(t))
	require.ElementsMatch(t, idsOf(tasks[:20]), q.takeChecked(), "pass 1: the oldest two pages")
	require.Zero(t, r.runOnce(t))
	require.ElementsMatch(t, idsOf(tasks[20:40]), q.takeChecked(), "pass 2: the next two pages")
	require.Equal(t, 1, r.runOnce(t), "pass 3 reaches the lost task")
	require.ElementsMatch(t, idsOf(tasks[40:]), q.takeChecked(), "pass 3: the short last page")
	require.True(t, r.inQueue(t, lost.ID))
	require.Len(t, r.logs.TaskEvents("task_requeued_by_reconciler", lost.ID), 1)

	require.Zero(t, r.runOnce(t))
	require.ElementsMatch(t, idsOf(tasks[:20]), q.takeChecked(), "after a short page the walk starts over")
}

// TestReconcilerRetriesPageAfterOutage: a pass that fails on a page (the queue is down)
// stops there, and the next pass retries that page rather than walk on past it.
func TestReconcilerRetriesPageAfterOutage(t *testing.T) {
	t.Parallel()
	r, q := newPagingRig(t, application.ReconcilerConfig{BatchSize: 5, MaxPages: 1})
	tasks := r.backlog(t, 12, 7) // the lost one is on the second page
	require.Zero(t, r.runOnce(t))

	q.setDown(true)
	n, err := r.rec.RunOnce(context.Background())
	require.ErrorIs(t, err, errQueueDown)
	require.Zero(t, n)
	require.False(t, r.inQueue(t, tasks[7].ID))

	q.setDown(false)
	q.takeChecked()
	require.Equal(t, 1, r.runOnce(t), "the failed page is read again")
	require.ElementsMatch(t, idsOf(tasks[5:10]), q.takeChecked())
	require.True(t, r.inQueue(t, tasks[7].ID))
}

// TestReconcilerMovesPastTaskThatAlwaysFails: one task whose check always fails holds the
// walk for a few passes only; then the tasks behind it get their turn.
func TestReconcilerMovesPastTaskThatAlwaysFails(t *testing.T) {
	t.Parallel()
	r, q := newPagingRig(t, application.ReconcilerConfig{BatchSize: 5, MaxPages: 1})
	tasks := r.backlog(t, 8, 6)
	q.mu.Lock()
	q.poison[tasks[2].ID] = true
	q.mu.Unlock()

	passes := 0
	for !r.inQueue(t, tasks[6].ID) {
		passes++
		require.LessOrEqual(t, passes, 5, "the walk never got past the failing task")
		_, err := r.rec.RunOnce(context.Background())
		if passes <= 3 {
			require.ErrorIs(t, err, errQueueDown, "pass %d", passes)
		}
	}
	require.Equal(t, 4, passes, "three tries of the failing page, then the next one")
}

// TestReconcilerChecksConcurrently: the tasks of a page are checked in parallel, at most
// Concurrency at once, and every one of them is still examined.
func TestReconcilerChecksConcurrently(t *testing.T) {
	t.Parallel()
	r, q := newPagingRig(t, application.ReconcilerConfig{BatchSize: 100, Concurrency: 3})
	lost := []int{3, 50, 97}
	tasks := r.backlog(t, 100, lost...)
	q.gateAt, q.gate = 3, make(chan struct{})
	require.Equal(t, len(lost), r.runOnce(t))
	require.ElementsMatch(t, idsOf(tasks), q.takeChecked())
	require.Equal(t, 3, q.maxInFlight, "Concurrency checks at once, no more")
	for _, i := range lost {
		require.True(t, r.inQueue(t, tasks[i].ID))
	}
}
