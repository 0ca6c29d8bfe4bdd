package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/domain"
)

func TestNewWorkerRejectsMissingDeps(t *testing.T) {
	t.Parallel()
	_, err := application.NewWorker(application.WorkerDeps{}, application.WorkerConfig{})
	require.ErrorContains(t, err, "needs")
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	cfg := r.worker.Config()
	require.Equal(t, 8, cfg.Concurrency)
	require.Equal(t, 5*time.Second/3, cfg.Heartbeat, "Lease/3 by default")
	_, err = application.NewWorker(application.WorkerDeps{
		Store: r.store, Queue: r.queue, Signals: r.signals, Clock: sysclock.Clock{},
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()}, Log: slog.Default(),
	}, application.WorkerConfig{Lease: time.Second, Heartbeat: 2 * time.Second})
	require.ErrorContains(t, err, "Heartbeat")
}

func TestWorkerEcho(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	r.start(t)

	task := r.submit(t, domain.TaskEcho, `{"msg":"hello","n":[1,2]}`)
	done := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.JSONEq(t, `{"msg":"hello","n":[1,2]}`, string(done.Result))
	require.Equal(t, 1, done.Attempts)
	require.Nil(t, done.Error)
	require.NotNil(t, done.FinishedAt)
	require.False(t, r.inQueue(t, task.ID), "acked")
	require.NotEmpty(t, r.logs.TaskEvents("task_started", task.ID))
	ev := r.logs.Wait(t, waitLimit, "task_succeeded", task.ID)
	require.Equal(t, "echo", ev["type"])
}

func TestWorkerManyEchoes(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{Concurrency: 4})
	r.start(t)
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = r.submit(t, domain.TaskEcho, `{}`).ID
	}
	for _, id := range ids {
		require.Equal(t, 1, r.waitStatus(t, id, domain.StatusSucceeded).Attempts)
	}
}

func TestWorkerCancelQueuedSleep(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	task := r.submit(t, domain.TaskSleep, `{"seconds":30}`)

	got, err := r.tasks.Cancel(context.Background(), task.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusCancelled, got.Status)

	// The id is still on the queue; the worker must skip it, not run it.
	r.start(t)
	r.logs.Wait(t, waitLimit, "task_duplicate_skipped", task.ID)
	require.Eventually(t, func() bool { return !r.inQueue(t, task.ID) }, waitLimit, 5*time.Millisecond)
	final := r.get(t, task.ID)
	require.Equal(t, domain.StatusCancelled, final.Status)
	require.Equal(t, 0, final.Attempts)
	require.Equal(t, domain.CodeTaskCancelled, final.Error.Code)
}

func TestWorkerCancelRunningSleepBySignal(t *testing.T) {
	t.Parallel()
	// Heartbeats far apart: only the signal can end the task before the deadline below.
	r := newWorkerRig(t, nil, application.WorkerConfig{Lease: time.Minute, Heartbeat: 30 * time.Second})
	r.start(t)
	task := r.submit(t, domain.TaskSleep, `{"seconds":30}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	got, err := r.tasks.Cancel(context.Background(), task.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusRunning, got.Status, "still winding down")

	var final domain.Task
	require.Eventually(t, func() bool {
		final, err = r.store.Get(context.Background(), task.ID)
		return err == nil && final.Status == domain.StatusCancelled
	}, waitLimit, 5*time.Millisecond, "heartbeats are 30s apart: only the signal can have ended it")
	require.Equal(t, domain.CodeTaskCancelled, final.Error.Code)
	r.logs.Wait(t, waitLimit, "task_cancelled", task.ID)
	require.Eventually(t, func() bool { return !r.inQueue(t, task.ID) }, waitLimit, 5*time.Millisecond)
}

func TestWorkerCancelSeenAtHeartbeat(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{Heartbeat: 50 * time.Millisecond})
	r.start(t)
	task := r.submit(t, domain.TaskSleep, `{"seconds":30}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	// Flag the record without publishing: as if the signal was lost.
	_, err := r.store.Update(context.Background(), task.ID, func(t *domain.Task) error {
		_, err := t.Cancel(time.Now().UTC())
		return err
	})
	require.NoError(t, err)
	r.waitStatus(t, task.ID, domain.StatusCancelled)
}

func TestWorkerKillsHandlerIgnoringContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // registered first, so it runs after the worker stops
	var calls atomic.Int32
	stubborn := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
		calls.Add(1)
		<-release // ignores its context on purpose
		return json.RawMessage(`{}`), nil
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskSleep: stubborn}, application.WorkerConfig{})
	r.start(t)

	task := r.submit(t, domain.TaskSleep, `{}`, submitOpts{timeout: intp(1)})
	final := r.waitStatus(t, task.ID, domain.StatusFailed)
	require.Equal(t, domain.CodeTaskRuntimeExceeded, final.Error.Code)
	require.Equal(t, 1, final.Attempts)
	require.EqualValues(t, 1, calls.Load(), "max_retries 0: no second attempt")

	ev := r.logs.Wait(t, waitLimit, "task_killed", task.ID)
	require.Equal(t, "sleep", ev["type"])
	require.EqualValues(t, 1, ev["timeout_seconds"])
	require.Equal(t, true, ev["ignored_context"])
	require.Equal(t, "WARN", ev["level"])
}

func TestWorkerRuntimeExceededIsRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	slowOnce := stubHandler{run: func(ctx context.Context, _ domain.Task) (json.RawMessage, error) {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return json.RawMessage(`{"ok":true}`), nil
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskSleep: slowOnce}, application.WorkerConfig{})
	r.start(t)
	task := r.submit(t, domain.TaskSleep, `{}`, submitOpts{timeout: intp(1), retries: intp(1)})
	final := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 2, final.Attempts)
	ev := r.logs.Wait(t, waitLimit, "task_killed", task.ID)
	require.Equal(t, false, ev["ignored_context"])
	r.logs.Wait(t, waitLimit, "task_retry_scheduled", task.ID)
}

// flaky fails with a transient error `failures` times, then succeeds.
func flaky(failures int32, calls *atomic.Int32) stubHandler {
	return stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
		if calls.Add(1) <= failures {
			return nil, domain.NewError(domain.CodeProviderError, "provider answered 503").Transient()
		}
		return json.RawMessage(`{"ok":true}`), nil
	}}
}

func TestWorkerRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	t.Run("succeeds within retries", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: flaky(2, &calls)}, application.WorkerConfig{})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(2)})
		final := r.waitStatus(t, task.ID, domain.StatusSucceeded)
		require.Equal(t, 3, final.Attempts)
		require.Nil(t, final.Error)
		require.Len(t, r.logs.TaskEvents("task_retry_scheduled", task.ID), 2)
		require.EqualValues(t, 3, calls.Load())
	})
	t.Run("fails when retries run out", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: flaky(2, &calls)}, application.WorkerConfig{})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(1)})
		final := r.waitStatus(t, task.ID, domain.StatusFailed)
		require.Equal(t, 2, final.Attempts)
		require.Equal(t, domain.CodeProviderError, final.Error.Code)
		require.Equal(t, "provider answered 503", final.Error.Message)
		require.EqualValues(t, 2, calls.Load())
	})
}

func TestWorkerRetryHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
		calls.Add(1)
		e := domain.NewError(domain.CodeProviderError, "429").Transient()
		e.RetryAfter = 60
		return nil, e
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{RetryMax: 5 * time.Minute})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
	ev := r.logs.Wait(t, waitLimit, "task_retry_scheduled", task.ID)
	require.GreaterOrEqual(t, ev["delay_ms"], float64(60000))
	require.LessOrEqual(t, ev["delay_ms"], float64(5*60000), "never past the retry cap")
	final := r.waitStatus(t, task.ID, domain.StatusQueued)
	require.Equal(t, domain.CodeProviderError, final.Error.Code, "last error shown while waiting")
	require.True(t, r.inQueue(t, task.ID))
	require.EqualValues(t, 1, calls.Load())
}

// TestWorkerRetryAfterBeyondCapFailsAtOnce: a server asking for a wait longer than the
// retry cap (a Retry-After of a century, a spent monthly quota) does not park the task for
// that long: it fails at once with the code it would have had, naming the wait.
func TestWorkerRetryAfterBeyondCapFailsAtOnce(t *testing.T) {
	t.Parallel()
	for _, code := range []domain.Code{domain.CodeFetchFailed, domain.CodeProviderError} {
		t.Run(string(code), func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
				calls.Add(1)
				e := domain.NewError(code, "the server answered 503").Transient()
				e.RetryAfter = 3153600000
				return nil, e
			}}
			r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{RetryMax: 5 * time.Minute})
			r.start(t)
			task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
			final := r.waitStatus(t, task.ID, domain.StatusFailed)
			require.Equal(t, code, final.Error.Code)
			require.Contains(t, final.Error.Message, "the server answered 503")
			require.Contains(t, final.Error.Message, "3153600000s")
			require.Equal(t, 1, final.Attempts)
			require.EqualValues(t, 1, calls.Load())
			require.Empty(t, r.logs.TaskEvents("task_retry_scheduled", task.ID))
			require.False(t, r.inQueue(t, task.ID), "nothing parked in the delayed set")
		})
	}
	t.Run("a wait at the cap is respected", func(t *testing.T) {
		t.Parallel()
		h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
			e := domain.NewError(domain.CodeFetchFailed, "503").Transient()
			e.RetryAfter = 300
			return nil, e
		}}
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{RetryMax: 5 * time.Minute})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
		ev := r.logs.Wait(t, waitLimit, "task_retry_scheduled", task.ID)
		require.Equal(t, float64(300000), ev["delay_ms"])
		require.Equal(t, domain.StatusQueued, r.waitStatus(t, task.ID, domain.StatusQueued).Status)
	})
}

func TestWorkerNeverRetriesPermanentFailures(t *testing.T) {
	t.Parallel()
	t.Run("coded", func(t *testing.T) {
		t.Parallel()
		var calls atomic.Int32
		h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
			calls.Add(1)
			return nil, domain.NewError(domain.CodeFetchBlocked, "address is private")
		}}
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
		final := r.waitStatus(t, task.ID, domain.StatusFailed)
		require.Equal(t, domain.CodeFetchBlocked, final.Error.Code)
		require.Equal(t, 1, final.Attempts)
		require.EqualValues(t, 1, calls.Load())
		require.Empty(t, r.logs.TaskEvents("task_retry_scheduled", task.ID))
	})
	t.Run("uncoded stays out of the record", func(t *testing.T) {
		t.Parallel()
		h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) {
			return nil, errors.New("dial tcp 10.0.0.7:5432: password for user admin rejected")
		}}
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
		final := r.waitStatus(t, task.ID, domain.StatusFailed)
		require.Equal(t, domain.CodeInternal, final.Error.Code)
		require.NotContains(t, final.Error.Message, "10.0.0.7")
		require.Contains(t, r.logs.Wait(t, waitLimit, "task_failed", task.ID)["error"], "10.0.0.7")
	})
	t.Run("panic", func(t *testing.T) {
		t.Parallel()
		h := stubHandler{run: func(context.Context, domain.Task) (json.RawMessage, error) { panic("boom") }}
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`)
		final := r.waitStatus(t, task.ID, domain.StatusFailed)
		require.Equal(t, domain.CodeInternal, final.Error.Code)
		r.logs.Wait(t, waitLimit, "task_panicked", task.ID)
	})
}

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
	now := time.Now().UTC()
	task := domain.Task{
		ID: (&domain.IDGenerator{}).New(now), Type: domain.TaskEcho, Status: domain.StatusRunning,
		Params: json.RawMessage(`{}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now,
	}
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

func TestWorkerStopHandsBackRunningTask(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{ShutdownGrace: 100 * time.Millisecond})
	require.NoError(t, r.worker.Start(context.Background()))
	task := r.submit(t, domain.TaskSleep, `{"seconds":30}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	require.NoError(t, r.worker.Stop(ctx))
	require.NoError(t, r.worker.Stop(ctx), "Stop is idempotent")

	back := r.get(t, task.ID)
	require.Equal(t, domain.StatusQueued, back.Status)
	require.Equal(t, 0, back.Attempts, "a handed-back attempt does not count")
	require.True(t, r.inQueue(t, task.ID))
	require.NotEmpty(t, r.logs.TaskEvents("task_handed_back", task.ID))
	require.Error(t, r.worker.Start(context.Background()), "a stopped worker does not restart")
}

// TestWorkerStopWithZeroGraceHandsBackAtOnce: SHUTDOWN_GRACE_SECONDS=0 means "hand back at
// once", not "the default": with 3 long tasks running, Stop inside the app's stop timeout
// for a zero grace (15 s) hands all three back, their attempts not counted.
func TestWorkerStopWithZeroGraceHandsBackAtOnce(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{ShutdownGrace: 0})
	require.Zero(t, r.worker.Config().ShutdownGrace, "zero is kept, not replaced by a default")
	require.NoError(t, r.worker.Start(context.Background()))
	var ids []string
	for range 3 {
		task := r.submit(t, domain.TaskSleep, `{"seconds":60}`)
		ids = append(ids, task.ID)
	}
	for _, id := range ids {
		r.waitStatus(t, id, domain.StatusRunning)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	require.NoError(t, r.worker.Stop(ctx), "the hand-back fits inside the stop timeout")
	ev := r.logs.Wait(t, waitLimit, "worker_stopping", "")
	require.Equal(t, float64(0), ev["grace_ms"])
	for _, id := range ids {
		back := r.get(t, id)
		require.Equal(t, domain.StatusQueued, back.Status, "task %s", id)
		require.Equal(t, 0, back.Attempts, "task %s: a handed-back attempt does not count", id)
		require.Empty(t, back.Holder, "task %s: nobody holds a handed-back task", id)
		require.True(t, r.inQueue(t, id), "task %s: back on the queue", id)
	}
}

// TestWorkerStopGraceFitsTheDeadline: a grace longer than the time Stop is given is cut
// short so the hand-back still happens before the caller gives up, instead of the process
// exiting with the task still running and its lease held.
func TestWorkerStopGraceFitsTheDeadline(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{ShutdownGrace: time.Hour, OpTimeout: time.Second})
	require.NoError(t, r.worker.Start(context.Background()))
	task := r.submit(t, domain.TaskSleep, `{"seconds":60}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	require.NoError(t, r.worker.Stop(ctx))
	back := r.get(t, task.ID)
	require.Equal(t, domain.StatusQueued, back.Status)
	require.Equal(t, 0, back.Attempts)
	require.True(t, r.inQueue(t, task.ID))
}

func TestWorkerStopLetsShortTasksFinish(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{ShutdownGrace: waitLimit})
	require.NoError(t, r.worker.Start(context.Background()))
	task := r.submit(t, domain.TaskSleep, `{"seconds":0.3}`)
	r.waitStatus(t, task.ID, domain.StatusRunning)

	// Room for the grace and, after it, the hand-back's reserve (KillGrace + OpTimeout).
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit+application.DefaultWorkerOpTimeout+time.Second)
	defer cancel()
	require.NoError(t, r.worker.Stop(ctx))
	done := r.get(t, task.ID)
	require.Equal(t, domain.StatusSucceeded, done.Status)
	require.JSONEq(t, `{"slept_seconds":0.3}`, string(done.Result))
}

func TestWorkerStopBeforeStart(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{})
	require.NoError(t, r.worker.Stop(context.Background()))
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
