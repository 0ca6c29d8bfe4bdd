package application_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
