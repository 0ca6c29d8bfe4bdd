package metrics_test

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/metrics"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/logcapture"
)

// tallyStore counts CountByTypeStatus calls; the rest of ports.TaskStore is not used.
type tallyStore struct {
	ports.TaskStore
	calls atomic.Int64
	fail  atomic.Bool
}

func (s *tallyStore) CountByTypeStatus(context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	n := s.calls.Add(1)
	if s.fail.Load() {
		return nil, errors.New("db down")
	}
	return map[domain.TaskType]map[domain.Status]int64{domain.TaskEcho: {domain.StatusSucceeded: n}}, nil
}

type tallyQueue struct {
	ports.Queue
	calls atomic.Int64
}

func (q *tallyQueue) Depth(context.Context) (int64, error) { return q.calls.Add(1), nil }

func TestScrapesWithinTheTTLShareOneRead(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store, queue := &tallyStore{}, &tallyQueue{}
	m := metrics.New(metrics.Config{Store: store, Queue: queue, CacheTTL: 5 * time.Second, Clock: clock})

	for range 100 {
		text := scrape(t, m)
		require.Contains(t, text, `taskrunner_tasks{status="succeeded",type="echo"} 1`)
		require.Contains(t, text, "taskrunner_queue_depth 1")
	}
	require.EqualValues(t, 1, store.calls.Load(), "100 scrapes, one GROUP BY")
	require.EqualValues(t, 1, queue.calls.Load())

	clock.Advance(4999 * time.Millisecond)
	scrape(t, m)
	require.EqualValues(t, 1, store.calls.Load(), "still fresh just before the TTL ends")
	clock.Advance(time.Millisecond)
	text := scrape(t, m)
	require.EqualValues(t, 2, store.calls.Load(), "read again once the TTL has passed")
	require.Contains(t, text, `taskrunner_tasks{status="succeeded",type="echo"} 2`)
	require.Contains(t, text, "taskrunner_queue_depth 2")
}

// Concurrent scrapes that find the counts stale wait for one read instead of each running
// their own.
func TestConcurrentScrapesShareOneRead(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store := &tallyStore{}
	m := metrics.New(metrics.Config{Store: store, CacheTTL: time.Second, Clock: clock})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { scrape(t, m) })
	}
	wg.Wait()
	require.EqualValues(t, 1, store.calls.Load())
}

// A failed read is kept for the TTL as well (a store that is down is not asked by every
// scrape) and logged once.
func TestAFailedReadIsKeptAndLoggedOnce(t *testing.T) {
	t.Parallel()
	clock := memory.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	logs := &logcapture.Buffer{}
	store := &tallyStore{}
	store.fail.Store(true)
	m := metrics.New(metrics.Config{Store: store, CacheTTL: 5 * time.Second, Clock: clock, Log: slogTo(logs)})
	for range 10 {
		require.NotContains(t, scrape(t, m), "taskrunner_tasks{")
	}
	require.EqualValues(t, 1, store.calls.Load())
	require.Len(t, logs.Events("metrics_scrape_failed"), 1)

	store.fail.Store(false)
	clock.Advance(5 * time.Second)
	require.Contains(t, scrape(t, m), "taskrunner_tasks{")
}

func TestZeroTTLReadsEveryScrape(t *testing.T) {
	t.Parallel()
	store := &tallyStore{}
	m := metrics.New(metrics.Config{Store: store, Log: slogTo(io.Discard)})
	for range 3 {
		scrape(t, m)
	}
	require.EqualValues(t, 3, store.calls.Load())
}
