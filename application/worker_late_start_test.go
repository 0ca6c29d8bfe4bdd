package application_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
)

// gateHandler runs until its gate closes (or its context ends), telling entered first.
func gateHandler(entered chan<- string, gate <-chan struct{}) application.Handler {
	return stubHandler{run: func(ctx context.Context, t domain.Task) (json.RawMessage, error) {
		entered <- t.ID
		select {
		case <-gate:
			return json.RawMessage(`{"ok":true}`), nil
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}}
}

// A short task is written once, start and outcome together: the record shows the
// attempt it ran, begun no later than it ended.
func TestWorkerWritesAShortTasksStartWithItsOutcome(t *testing.T) {
	t.Parallel()
	r := newWorkerRig(t, nil, application.WorkerConfig{StartDelay: time.Minute})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{"msg":"hi"}`)
	done := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 1, done.Attempts)
	require.Len(t, done.AttemptLog, 1)
	a := done.AttemptLog[0]
	require.Equal(t, domain.AttemptSucceeded, a.Outcome)
	require.NotNil(t, done.StartedAt)
	require.True(t, a.StartedAt.Equal(*done.StartedAt))
	require.False(t, done.FinishedAt.Before(*done.StartedAt))
}

// A handler that outlasts StartDelay has its start written while it runs.
func TestWorkerWritesALongTasksStartAfterStartDelay(t *testing.T) {
	t.Parallel()
	entered, gate := make(chan string, 1), make(chan struct{})
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: gateHandler(entered, gate)},
		application.WorkerConfig{StartDelay: 20 * time.Millisecond})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`)
	<-entered
	running := r.waitStatus(t, task.ID, domain.StatusRunning)
	require.Equal(t, 1, running.Attempts)
	close(gate)
	done := r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 1, done.Attempts)
	require.True(t, running.StartedAt.Equal(*done.StartedAt), "the start written alone is the one kept")
}

// A task cancelled while its handler runs unrecorded: the late start finds it cancelled,
// the handler is stopped, nothing of the attempt is written, and the queue lets it go.
func TestWorkerLateStartRefusedByACancel(t *testing.T) {
	t.Parallel()
	entered, gate := make(chan string, 1), make(chan struct{})
	defer close(gate)
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: gateHandler(entered, gate)},
		application.WorkerConfig{StartDelay: 50 * time.Millisecond})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`)
	<-entered
	got, err := r.tasks.Cancel(context.Background(), task.ID)
	require.NoError(t, err)
	require.Equal(t, domain.StatusCancelled, got.Status, "the record still shows it queued: cancelled at once")
	r.logs.Wait(t, waitLimit, "task_start_refused", task.ID)
	require.Eventually(t, func() bool { return !r.inQueue(t, task.ID) }, waitLimit, 5*time.Millisecond)
	final := r.get(t, task.ID)
	require.Equal(t, domain.StatusCancelled, final.Status)
	require.Equal(t, 0, final.Attempts)
	require.Empty(t, final.AttemptLog)
}

// A delivery after a lapsed lease writes its start before its handler runs: the worker
// that held the lease may have died inside the handler, and this attempt must count.
func TestWorkerRedeliveryWritesItsStartFirst(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Now())
	entered, gate := make(chan string, 1), make(chan struct{})
	defer close(gate)
	r := newWorkerRigClock(t, application.Handlers{domain.TaskEcho: gateHandler(entered, gate)},
		application.WorkerConfig{StartDelay: time.Hour, Lease: time.Minute}, clock)
	task := r.submit(t, domain.TaskEcho, `{}`)
	// A consumer that vanishes with the lease: nothing of it reaches the record.
	lost, err := r.queue.Dequeue(context.Background(), time.Second)
	require.NoError(t, err)
	require.False(t, lost.Redelivered)
	clock.Advance(2 * time.Second)
	r.start(t)
	<-entered
	running := r.get(t, task.ID)
	require.Equal(t, domain.StatusRunning, running.Status, "written before the handler ran, StartDelay notwithstanding")
	require.Equal(t, 1, running.Attempts)
}
