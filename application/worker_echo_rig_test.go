package application_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// echoStack is a worker that runs echo tasks on the memory adapters, with their batch
// ports when batched (the path the services take), reporting attempts to obs.
type echoStack struct {
	store  *memory.TaskStore
	queue  *memory.Queue
	worker *application.Worker
	ids    domain.IDGenerator
}

func newEchoStack(tb testing.TB, obs ports.TaskObserver, concurrency int, batched bool) *echoStack {
	tb.Helper()
	clock := sysclock.Clock{}
	s := &echoStack{store: memory.NewTaskStore(), queue: memory.NewQueue(clock)}
	deps := application.WorkerDeps{
		Store: s.store, Queue: s.queue, Signals: memory.NewCancelSignals(), Clock: clock,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Observer: obs, Limits: domain.DefaultLimits(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}
	if batched {
		deps.Batch, deps.BatchQueue = s.store, s.queue
	}
	w, err := application.NewWorker(deps, application.WorkerConfig{Concurrency: concurrency})
	require.NoError(tb, err)
	s.worker = w
	return s
}

// enqueue records a queued echo task and puts it in the queue; it returns the task's id.
func (s *echoStack) enqueue(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	now := sysclock.Clock{}.Now()
	task := domain.Task{ID: s.ids.New(now), Type: domain.TaskEcho, Status: domain.StatusQueued,
		Params: json.RawMessage(`{"msg":"hi"}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
	_, _, err := s.store.Create(ctx, task)
	require.NoError(tb, err)
	require.NoError(tb, s.queue.Enqueue(ctx, domain.QueueItem{TaskID: task.ID}))
	return task.ID
}
