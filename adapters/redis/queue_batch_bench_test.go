package redis_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

// BenchmarkQueueMove measures ids/s through Enqueue, Dequeue and Ack one id per call
// ("single") against EnqueueMany, DequeueMany and AckMany 64 ids per call ("batch64"), with
// 4 producers and the given consumers on one client. Each b.N is one id.
//
//	TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench QueueMove ./adapters/redis/
func BenchmarkQueueMove(b *testing.B) {
	for _, bc := range []struct {
		name             string
		batch, consumers int
	}{
		{"single", 1, 32},
		{"batch64", 64, 4},
		{"batch64x32", 64, 32},
	} {
		b.Run(bc.name, func(b *testing.B) { benchMove(b, bc.batch, bc.consumers) })
	}
}

func benchMove(b *testing.B, batch, consumers int) {
	r := harness.Redis(b)
	q := queueOn(b, r.Client, r.Prefix)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var done atomic.Int64
	total := int64(b.N)
	finished := make(chan struct{})
	count := func(n int) {
		if after := done.Add(int64(n)); after >= total && after-int64(n) < total {
			close(finished)
		}
	}
	var wg sync.WaitGroup
	for range consumers {
		wg.Go(func() {
			for ctx.Err() == nil {
				if batch == 1 {
					l, err := q.Dequeue(ctx, time.Minute)
					if err != nil {
						return
					}
					if err := q.Ack(ctx, l); err != nil {
						b.Error(err)
					}
					count(1)
					continue
				}
				ls, err := q.DequeueMany(ctx, batch, time.Minute)
				if err != nil {
					return
				}
				if lost, err := q.AckMany(ctx, ls); err != nil || len(lost) > 0 {
					b.Error(lost, err)
				}
				count(len(ls))
			}
		})
	}
	b.ResetTimer()
	start := time.Now()
	var pwg sync.WaitGroup
	const producers = 4
	for p := range producers {
		pwg.Go(func() {
			items := make([]domain.QueueItem, 0, batch)
			for i := p; i < b.N; i += producers {
				item := domain.QueueItem{TaskID: "bench-" + strconv.Itoa(i)}
				if batch == 1 {
					if err := q.Enqueue(ctx, item); err != nil {
						b.Error(err)
					}
					continue
				}
				if items = append(items, item); len(items) == batch || i+producers >= b.N {
					if err := q.EnqueueMany(ctx, items); err != nil {
						b.Error(err)
					}
					items = items[:0]
				}
			}
		})
	}
	pwg.Wait()
	<-finished
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ids/s")
	cancel()
	wg.Wait()
}

// BenchmarkQueueEnqueueMany measures pushing 64 ids in one round trip: one
// enqueueManyScript call ("script", what EnqueueMany does) against a pipeline of 64
// enqueueScript calls ("pipeline"). Each b.N is one id.
func BenchmarkQueueEnqueueMany(b *testing.B) {
	for _, bc := range []struct {
		name string
		push func(*redis.Queue, context.Context, []domain.QueueItem) error
	}{
		{"script", (*redis.Queue).EnqueueMany},
		{"pipeline", (*redis.Queue).EnqueuePipelined},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := harness.Redis(b)
			q := queueOn(b, r.Client, r.Prefix)
			ctx := context.Background()
			items := make([]domain.QueueItem, 0, 64)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				items = append(items, domain.QueueItem{TaskID: "bench-" + strconv.Itoa(i)})
				if len(items) == cap(items) || i == b.N-1 {
					if err := bc.push(q, ctx, items); err != nil {
						b.Fatal(err)
					}
					items = items[:0]
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ids/s")
		})
	}
}
