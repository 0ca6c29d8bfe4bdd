package application_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/logcapture"
)

// reconcilerRig is a reconciler on memory adapters and a fake clock.
type reconcilerRig struct {
	work  *recordedWork
	clock *memory.FakeClock
	store *memory.TaskStore
	queue *memory.Queue
	rec   *application.Reconciler
	logs  *logcapture.Buffer
}

func newReconcilerRig(t *testing.T) *reconcilerRig {
	t.Helper()
	clock := memory.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	r := &reconcilerRig{clock: clock, store: memory.NewTaskStore(), queue: memory.NewQueue(clock), logs: &logcapture.Buffer{}, work: newRecordedWork()}
	rec, err := application.NewReconciler(application.ReconcilerDeps{
		Store: r.store, Queue: r.queue, Clock: clock, Log: slog.New(slog.NewJSONHandler(r.logs, nil)), Observer: r.work,
	}, application.ReconcilerConfig{QueuedGrace: 5 * time.Second, Lease: 30 * time.Second})
	require.NoError(t, err)
	r.rec = rec
	return r
}

// put stores a task in the status given, last touched now (fake time).
func (r *reconcilerRig) put(t *testing.T, status domain.Status, attempts int) domain.Task {
	t.Helper()
	now := r.clock.Now()
	task := contract.NewTask(contract.WithStatus(status), contract.WithUpdatedAt(now))
	task.Attempts = attempts
	if status == domain.StatusRunning {
		task.StartedAt = &now
	}
	_, _, err := r.store.Create(context.Background(), task)
	require.NoError(t, err)
	return task
}

func (r *reconcilerRig) runOnce(t *testing.T) int {
	t.Helper()
	n, err := r.rec.RunOnce(context.Background())
	require.NoError(t, err)
	return n
}

func (r *reconcilerRig) inQueue(t *testing.T, id string) bool {
	t.Helper()
	ok, err := r.queue.Contains(context.Background(), id)
	require.NoError(t, err)
	return ok
}

func TestReconcilerRequeuesQueuedTaskMissingFromQueue(t *testing.T) {
	t.Parallel()
	r := newReconcilerRig(t)
	lost := r.put(t, domain.StatusQueued, 0) // its push failed
	held := r.put(t, domain.StatusQueued, 0)
	require.NoError(t, r.queue.Enqueue(context.Background(), domain.QueueItem{TaskID: held.ID}))

	require.Zero(t, r.runOnce(t), "too fresh: the submit may still be pushing it")
	r.clock.Advance(6 * time.Second)
	require.Equal(t, 1, r.runOnce(t))
	require.True(t, r.inQueue(t, lost.ID))
	require.Zero(t, r.runOnce(t), "already back on the queue")
	require.Len(t, r.logs.TaskEvents("task_requeued_by_reconciler", lost.ID), 1)
	require.Empty(t, r.logs.TaskEvents("task_requeued_by_reconciler", held.ID))
	require.Equal(t, 1, r.work.count("requeued", lost.Type))
}

func TestReconcilerRequeuesRunningTaskWhoseHolderVanished(t *testing.T) {
	t.Parallel()
	r := newReconcilerRig(t)
	orphan := r.put(t, domain.StatusRunning, 1) // worker and queue entry both gone
	leased := r.put(t, domain.StatusRunning, 1) // a live worker holds it
	require.NoError(t, r.queue.Enqueue(context.Background(), domain.QueueItem{TaskID: leased.ID}))
	l, err := r.queue.Dequeue(context.Background(), time.Hour)
	require.NoError(t, err)
	require.Equal(t, leased.ID, l.TaskID)

	r.clock.Advance(10 * time.Second)
	require.Zero(t, r.runOnce(t), "younger than a lease")
	r.clock.Advance(25 * time.Second)
	require.Equal(t, 1, r.runOnce(t))
	require.True(t, r.inQueue(t, orphan.ID))
	ev := r.logs.TaskEvents("task_requeued_by_reconciler", orphan.ID)
	require.Len(t, ev, 1)
	require.Equal(t, "running", ev[0]["status"])
}

func TestReconcilerFailsRunningTaskLostTooOften(t *testing.T) {
	t.Parallel()
	r := newReconcilerRig(t)
	spent := r.put(t, domain.StatusRunning, 1+domain.LostLeaseAllowance)
	r.clock.Advance(time.Minute)
	require.Zero(t, r.runOnce(t))
	got, err := r.store.Get(context.Background(), spent.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusFailed, got.Status)
	require.Equal(t, domain.CodeInternal, got.Error.Code)
	require.False(t, r.inQueue(t, spent.ID))
}

func TestReconcilerFeedsWorker(t *testing.T) {
	t.Parallel()
	w := newWorkerRig(t, nil, application.WorkerConfig{})
	task := contract.NewTask(contract.WithUpdatedAt(time.Now().UTC().Add(-time.Minute)), contract.WithParams(`{"lost":true}`))
	_, _, err := w.store.Create(context.Background(), task)
	require.NoError(t, err)
	w.start(t)

	rec, err := application.NewReconciler(application.ReconcilerDeps{
		Store: w.store, Queue: w.queue, Clock: memory.NewFakeClock(time.Now().UTC()), Log: slog.New(slog.NewJSONHandler(w.logs, nil)),
	}, application.ReconcilerConfig{Interval: 20 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, rec.Start(context.Background()))
	done := w.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.JSONEq(t, `{"lost":true}`, string(done.Result))

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	require.NoError(t, rec.Stop(ctx))
	require.NoError(t, rec.Stop(ctx), "Stop is idempotent")
}

func TestReconcilerStopBeforeStart(t *testing.T) {
	t.Parallel()
	r := newReconcilerRig(t)
	require.NoError(t, r.rec.Stop(context.Background()))
	_, err := application.NewReconciler(application.ReconcilerDeps{}, application.ReconcilerConfig{})
	require.Error(t, err)
}
