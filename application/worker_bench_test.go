package application_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	obs := &countingObserver{done: make(chan struct{})}
	obs.n.Store(int64(b.N))
	stack := newEchoStack(b, obs, 32, false)
	w := stack.worker
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		stack.enqueue(b)
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
