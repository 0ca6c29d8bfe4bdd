package redis_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/redis"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// BenchmarkTaskEventsPublish measures one Publish of a 64-task batch (a typical group
// commit) to Redis with one subscriber draining: encoding plus one round trip.
func BenchmarkTaskEventsPublish(b *testing.B) {
	r := harness.Redis(b)
	e, err := redis.NewTaskEvents(r.Client, r.Prefix, nil)
	require.NoError(b, err)
	ch, err := e.Subscribe(b.Context())
	require.NoError(b, err)
	go func() {
		for range ch {
		}
	}()
	tasks := make([]domain.Task, 64)
	for i := range tasks {
		tasks[i] = contract.NewTask()
		tasks[i].Result = json.RawMessage(`{"slept_seconds":1}`)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.Publish(b.Context(), tasks); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tasks)), "ns/task")
}
