package application_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
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
	obs := &queueAtFinish{id: make(chan string, 1), held: make(chan bool, 1)}
	stack := newEchoStack(t, obs, 4, true)
	obs.queue = stack.queue
	ctx := context.Background()
	w := stack.worker
	require.NoError(t, w.Start(ctx))
	t.Cleanup(func() { require.NoError(t, w.Stop(ctx)) })
	for range 3 { // one task at a time: the observer knows which one finished
		id := stack.enqueue(t)
		obs.id <- id
		select {
		case held := <-obs.held:
			require.False(t, held, "the lease was acked before the delivery saw its write")
		case <-time.After(waitLimit):
			t.Fatal("the task did not finish")
		}
		require.Equal(t, domain.StatusSucceeded, must(stack.store.Get(ctx, id)).Status)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
