package application_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

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
