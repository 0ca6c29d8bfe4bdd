package application_test

import (
	"context"
	"encoding/json"
	"io"
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

// heldFinishes counts the attempts the worker counts finished (after their write), and
// holds each there until release is closed: the outcome keeps its place among the pending
// ones meanwhile.
type heldFinishes struct {
	entered atomic.Int64
	release chan struct{}
}

func (o *heldFinishes) TaskFinished(domain.TaskType, domain.Status, time.Duration) {
	o.entered.Add(1)
	<-o.release
}

// While the writes of finished attempts wait, the loops go on taking tasks until two
// batches' worth of outcomes are pending (twice the concurrency), not one.
func TestWorkerKeepsTwoConcurrenciesOfOutcomesPending(t *testing.T) {
	t.Parallel()
	const concurrency = 2
	clock := sysclock.Clock{}
	store, queue := memory.NewTaskStore(), memory.NewQueue(clock)
	obs := &heldFinishes{release: make(chan struct{})}
	w, err := application.NewWorker(application.WorkerDeps{
		Store: store, Queue: queue, Signals: memory.NewCancelSignals(), Clock: clock,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Observer: obs, Limits: domain.DefaultLimits(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Batch: store, BatchQueue: queue,
	}, application.WorkerConfig{Concurrency: concurrency})
	require.NoError(t, err)
	ctx := context.Background()
	var ids domain.IDGenerator
	var all []string
	for range 4 * concurrency {
		now := clock.Now()
		task := domain.Task{ID: ids.New(now), Type: domain.TaskEcho, Status: domain.StatusQueued,
			Params: json.RawMessage(`{"msg":"hi"}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
		_, _, err := store.Create(ctx, task)
		require.NoError(t, err)
		require.NoError(t, queue.Enqueue(ctx, domain.QueueItem{TaskID: task.ID}))
		all = append(all, task.ID)
	}
	require.NoError(t, w.Start(ctx))
	released := false
	t.Cleanup(func() {
		if !released {
			close(obs.release)
		}
		require.NoError(t, w.Stop(ctx))
	})
	require.Eventually(t, func() bool { return obs.entered.Load() >= 2*concurrency }, waitLimit, time.Millisecond,
		"fewer than %d outcomes got past their write while the others waited", 2*concurrency)

	close(obs.release)
	released = true
	for _, id := range all {
		require.Eventually(t, func() bool { return must(store.Get(ctx, id)).Status == domain.StatusSucceeded },
			waitLimit, time.Millisecond)
	}
}
