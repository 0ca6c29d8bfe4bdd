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

// countingObserver closes done when n attempts have finished.
type countingObserver struct {
	n, seen atomic.Int64
	done    chan struct{}
}

func (o *countingObserver) TaskFinished(domain.TaskType, domain.Status, time.Duration) {
	if o.seen.Add(1) == o.n.Load() {
		close(o.done)
	}
}

// BenchmarkWorkerEcho measures the worker's hot path on the memory adapters: b.N echo
// tasks, already recorded and queued, run to success. It reports tasks/s.
func BenchmarkWorkerEcho(b *testing.B) {
	clock := sysclock.Clock{}
	store, queue := memory.NewTaskStore(), memory.NewQueue(clock)
	obs := &countingObserver{done: make(chan struct{})}
	obs.n.Store(int64(b.N))
	w, err := application.NewWorker(application.WorkerDeps{
		Store: store, Queue: queue, Signals: memory.NewCancelSignals(), Clock: clock,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Observer: obs, Limits: domain.DefaultLimits(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}, application.WorkerConfig{Concurrency: 32})
	require.NoError(b, err)
	ctx := context.Background()
	var ids domain.IDGenerator
	for i := 0; i < b.N; i++ {
		now := clock.Now()
		task := domain.Task{ID: ids.New(now), Type: domain.TaskEcho, Status: domain.StatusQueued,
			Params: json.RawMessage(`{"msg":"hello"}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
		_, _, err := store.Create(ctx, task)
		require.NoError(b, err)
		require.NoError(b, queue.Enqueue(ctx, domain.QueueItem{TaskID: task.ID}))
	}
	b.ResetTimer()
	began := time.Now()
	require.NoError(b, w.Start(ctx))
	<-obs.done
	elapsed := time.Since(began)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tasks/s")
	require.NoError(b, w.Stop(ctx))
}
