package application_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

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

// childOf stores a queued sleep task that is a child of parentID and queues it, as the
// research handler's children are.
func (r *workerRig) childOf(t *testing.T, parentID string) domain.Task {
	t.Helper()
	child := contract.NewTask(contract.WithType(domain.TaskSleep), func(c *domain.Task) {
		c.Params = json.RawMessage(`{"seconds":30}`)
		c.ParentID = parentID
	})
	child, _, err := r.store.Create(context.Background(), child)
	require.NoError(t, err)
	require.NoError(t, r.queue.Enqueue(context.Background(), child.QueueItem()))
	return child
}

// TestWorkerCancelsChildOfCancelledParent: a parent cancelled without its children being
// cancelled (its process died between the two; this rig has no fan-in at all) leaves a
// queued child; the worker that picks it up ends it cancelled instead of running it.
func TestWorkerCancelsChildOfCancelledParent(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{Lease: time.Minute, Heartbeat: 30 * time.Second})
	parent := r.submit(t, domain.TaskSleep, `{"seconds":30}`)
	_, err := r.tasks.Cancel(context.Background(), parent.ID)
	require.NoError(t, err)
	child := r.childOf(t, parent.ID)

	r.start(t)
	// Heartbeats are 30 s apart and the sleep takes 30 s: only the check at start ends it.
	final := r.waitStatus(t, child.ID, domain.StatusCancelled)
	require.Equal(t, domain.CodeTaskCancelled, final.Error.Code)
	r.logs.Wait(t, waitLimit, "task_parent_cancelled", child.ID)
}

// TestWorkerCancelsRunningChildAtHeartbeat: the parent is cancelled while its child runs,
// and nothing cancels the child (no fan-in, no signal): its next heartbeat does.
func TestWorkerCancelsRunningChildAtHeartbeat(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{Heartbeat: 50 * time.Millisecond})
	parent := contract.NewTask(contract.WithType(domain.TaskSleep), func(p *domain.Task) { p.Params = json.RawMessage(`{"seconds":30}`) })
	parent, _, err := r.store.Create(context.Background(), parent)
	require.NoError(t, err)
	child := r.childOf(t, parent.ID)
	r.start(t)
	r.waitStatus(t, child.ID, domain.StatusRunning)

	_, err = r.store.Update(context.Background(), parent.ID, func(p *domain.Task) error {
		_, err := p.Cancel(time.Now().UTC())
		return err
	})
	require.NoError(t, err)
	final := r.waitStatus(t, child.ID, domain.StatusCancelled)
	require.Equal(t, domain.CodeTaskCancelled, final.Error.Code)
}
