package redis_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taskrunner/domain"
	"taskrunner/test/harness"
)

// BenchmarkQueueEnqueueDequeueAck measures one task's queue traffic (Enqueue, Dequeue, Ack)
// with 4 producers and 32 consumers on one client, reported as tasks/s.
//
//	TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench Queue ./adapters/redis/
func BenchmarkQueueEnqueueDequeueAck(b *testing.B) {
	r := harness.Redis(b)
	q := queueOn(b, r.Client, r.Prefix)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var done atomic.Int64
	total := int64(b.N)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				l, err := q.Dequeue(ctx, time.Minute)
				if err != nil {
					return
				}
				if err := q.Ack(ctx, l); err != nil {
					b.Error(err)
				}
				if done.Add(1) == total {
					close(finished)
				}
			}
		})
	}
	b.ResetTimer()
	start := time.Now()
	var pwg sync.WaitGroup
	for p := range 4 {
		pwg.Go(func() {
			for i := p; i < b.N; i += 4 {
				if err := q.Enqueue(ctx, domain.QueueItem{TaskID: "bench-" + strconv.Itoa(i)}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	pwg.Wait()
	<-finished
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
	cancel()
	wg.Wait()
}
