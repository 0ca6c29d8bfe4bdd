package application_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

func TestWorkerSurvivesStoreOutage(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	r.outage.down.Store(true)
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{"k":"v"}`)
	r.logs.Wait(t, waitLimit, "task_start_failed", task.ID)
	require.Equal(t, domain.StatusQueued, r.get(t, task.ID).Status)

	r.outage.down.Store(false)
	done := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 1, done.Attempts)
}

func TestWorkerSkipsDuplicateDelivery(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := stubHandler{run: func(_ context.Context, t domain.Task) (json.RawMessage, error) {
		calls.Add(1)
		return t.Params, nil
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{"a":1}`)
	first := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Eventually(t, func() bool { return !r.inQueue(t, task.ID) }, waitLimit, 5*time.Millisecond)

	require.NoError(t, r.queue.Enqueue(context.Background(), domain.QueueItem{TaskID: task.ID}))
	r.logs.Wait(t, waitLimit, "task_duplicate_skipped", task.ID)
	require.Eventually(t, func() bool { return !r.inQueue(t, task.ID) }, waitLimit, 5*time.Millisecond)

	again := r.get(t, task.ID)
	require.Equal(t, first, again, "one result, untouched")
	require.EqualValues(t, 1, calls.Load())
	require.Len(t, r.logs.TaskEvents("task_succeeded", task.ID), 1)
}

func TestWorkerFailsTaskLostTooOften(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	task := contract.NewTask(contract.WithStatus(domain.StatusRunning))
	task.Attempts = task.MaxStarts() // one more start would exceed the allowance
	_, _, err := r.store.Create(context.Background(), task)
	require.NoError(t, err)
	require.NoError(t, r.queue.Enqueue(context.Background(), domain.QueueItem{TaskID: task.ID}))
	r.start(t)

	final := r.waitStatus(t, task.ID, domain.StatusFailed)
	require.Equal(t, domain.CodeInternal, final.Error.Code)
	require.Contains(t, final.Error.Message, "lost this task")
	require.Nil(t, final.Result)
}

func TestWorkerRestartsTaskWhoseWorkerVanished(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Now())
	r := newWorkerRigClock(t, nil, application.WorkerConfig{}, clock)
	task := r.submit(t, domain.TaskEcho, `{"x":1}`)
	// A previous worker took it, marked it running and died without a word.
	gone, err := r.queue.Dequeue(context.Background(), time.Minute)
	require.NoError(t, err)
	require.Equal(t, task.ID, gone.TaskID)
	_, err = r.store.Update(context.Background(), task.ID, func(t *domain.Task) error { return t.Start(gone.Token, clock.Now()) })
	require.NoError(t, err)

	r.start(t)
	clock.Advance(2 * time.Minute) // its lease runs out: the queue delivers it again
	final := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 2, final.Attempts)
	require.Equal(t, 1, r.work.count("redelivered", domain.TaskEcho))
}

func TestWorkerAbandonsLostLease(t *testing.T) {
	t.Parallel()
	cause := make(chan error, 1)
	h := stubHandler{run: func(ctx context.Context, _ domain.Task) (json.RawMessage, error) {
		<-ctx.Done()
		cause <- context.Cause(ctx)
		return nil, ctx.Err()
	}}
	// One loop, so nothing of this worker can take the task back; heartbeats on real time,
	// the lease on a fake clock the test moves past its expiry.
	clock := memory.NewFakeClock(time.Now())
	r := newWorkerRigClock(t, application.Handlers{domain.TaskEcho: h},
		application.WorkerConfig{Concurrency: 1, Lease: time.Minute, Heartbeat: 50 * time.Millisecond}, clock)
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	clock.Advance(2 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	rival, err := r.queue.Dequeue(ctx, time.Hour)
	require.NoError(t, err)
	require.Equal(t, task.ID, rival.TaskID)

	r.logs.Wait(t, waitLimit, "task_lease_lost", task.ID)
	select {
	case err := <-cause:
		require.ErrorContains(t, err, "lease lost")
	case <-ctx.Done():
		t.Fatal("the handler's context was not cancelled")
	}
	// The worker leaves the record and the queue entry to the rival.
	require.Equal(t, domain.StatusRunning, r.get(t, task.ID).Status)
	require.Empty(t, r.logs.TaskEvents("task_failed", task.ID))
	require.NoError(t, r.queue.Ack(context.Background(), rival), "the rival still holds the lease")
}

// TestWorkerFailsATaskWhoseResultCannotBeStored: a handler's result holding a value the
// record refuses (PostgreSQL's 22P05 for a NUL) fails the task at once with internal,
// instead of leaving it running to come back after every lease.
func TestWorkerFailsATaskWhoseResultCannotBeStored(t *testing.T) {
	t.Parallel()
	h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
		return json.RawMessage(`{"title":"a\u0000b"}`), nil
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{})
	r.outage.refuseNUL.Store(true)
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
	final := r.waitStatus(t, task.ID, domain.StatusFailed)
	require.Equal(t, domain.CodeInternal, final.Error.Code)
	require.Contains(t, final.Error.Message, "cannot store")
	require.Equal(t, 1, final.Attempts)
	require.Nil(t, final.Result)
	require.NotEmpty(t, r.logs.TaskEvents("task_result_unstorable", task.ID))
	require.False(t, r.inQueue(t, task.ID))
}
