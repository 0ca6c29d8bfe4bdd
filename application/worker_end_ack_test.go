package application_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/domain"
)

// queueAtFinish records, when an attempt is counted finished (which the worker does once
// the write that ended it is back), whether the queue still held the task then.
type queueAtFinish struct {
	queue *memory.Queue
	id    chan string // the task under way
	held  chan bool
}

func (o *queueAtFinish) TaskFinished(domain.TaskType, domain.Status, time.Duration) {
	held, _ := o.queue.Contains(context.Background(), <-o.id)
	o.held <- held
}

// With the batch ports, the lease of a task whose end was written is acked by the same
// flush, before the delivery goes on: no second hand-off to the ack batch.
func TestWorkerAcksAnEndedTaskWithTheWriteThatEndedIt(t *testing.T) {
	t.Parallel()
	clock := sysclock.Clock{}
	store, queue := memory.NewTaskStore(), memory.NewQueue(clock)
	obs := &queueAtFinish{queue: queue, id: make(chan string, 1), held: make(chan bool, 1)}
	w, err := application.NewWorker(application.WorkerDeps{
		Store: store, Queue: queue, Signals: memory.NewCancelSignals(), Clock: clock,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Observer: obs, Limits: domain.DefaultLimits(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Batch: store, BatchQueue: queue,
	}, application.WorkerConfig{Concurrency: 4})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, w.Start(ctx))
	t.Cleanup(func() { require.NoError(t, w.Stop(ctx)) })
	var ids domain.IDGenerator
	for range 3 { // one task at a time: the observer knows which one finished
		now := clock.Now()
		task := domain.Task{ID: ids.New(now), Type: domain.TaskEcho, Status: domain.StatusQueued,
			Params: json.RawMessage(`{"msg":"hi"}`), TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
		obs.id <- task.ID
		_, _, err := store.Create(ctx, task)
		require.NoError(t, err)
		require.NoError(t, queue.Enqueue(ctx, domain.QueueItem{TaskID: task.ID}))
		select {
		case held := <-obs.held:
			require.False(t, held, "the lease was acked before the delivery saw its write")
		case <-time.After(waitLimit):
			t.Fatal("the task did not finish")
		}
		require.Equal(t, domain.StatusSucceeded, must(store.Get(ctx, task.ID)).Status)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
