package application_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	obs := &heldFinishes{release: make(chan struct{})}
	stack := newEchoStack(t, obs, concurrency, true)
	ctx := context.Background()
	var all []string
	for range 4 * concurrency {
		all = append(all, stack.enqueue(t))
	}
	w := stack.worker
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
		require.Eventually(t, func() bool { return must(stack.store.Get(ctx, id)).Status == domain.StatusSucceeded },
			waitLimit, time.Millisecond)
	}
}
