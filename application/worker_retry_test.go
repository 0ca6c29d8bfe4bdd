package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

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
		e.RetryAfter = time.Minute
		return nil, e
	}}
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{RetryMax: 5 * time.Minute})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
	ev := r.logs.Wait(t, waitLimit, "task_retry_scheduled", task.ID)
	require.GreaterOrEqual(t, ev["delay_ms"], float64(60000))
	require.LessOrEqual(t, ev["delay_ms"], float64(5*60000), "never past the retry cap")
	final := r.waitStatus(t, task.ID, domain.StatusScheduled)
	require.Equal(t, domain.CodeProviderError, final.Error.Code, "last error shown while waiting")
	require.NotNil(t, final.RunAt, "the retry's time is shown")
	require.Equal(t, time.Duration(ev["delay_ms"].(float64))*time.Millisecond, final.RunAt.Sub(final.UpdatedAt),
		"run_at is the retry's time, from the instant the attempt ended")
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
				e.RetryAfter = domain.RetryAfterSeconds(3153600000) // a century
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
			e.RetryAfter = 5 * time.Minute
			return nil, e
		}}
		r := newWorkerRig(t, application.Handlers{domain.TaskEcho: h}, application.WorkerConfig{RetryMax: 5 * time.Minute})
		r.start(t)
		task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(3)})
		ev := r.logs.Wait(t, waitLimit, "task_retry_scheduled", task.ID)
		require.Equal(t, float64(300000), ev["delay_ms"])
		require.Equal(t, domain.StatusScheduled, r.waitStatus(t, task.ID, domain.StatusScheduled).Status)
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
