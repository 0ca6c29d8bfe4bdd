package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/metrics"
	"taskrunner/domain"
	"taskrunner/ports"
)

// countingStore answers CountByTypeStatus only; the rest of ports.TaskStore is not used.
type countingStore struct {
	ports.TaskStore
	counts map[domain.TaskType]map[domain.Status]int64
	err    error
}

func (s countingStore) CountByTypeStatus(context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	return s.counts, s.err
}

type depthQueue struct {
	ports.Queue
	depth int64
	err   error
}

func (q depthQueue) Depth(context.Context) (int64, error) { return q.depth, q.err }

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	return string(body)
}

func TestStateGaugesAreReadAtScrapeTime(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{
		Store: countingStore{counts: map[domain.TaskType]map[domain.Status]int64{
			domain.TaskEcho: {domain.StatusQueued: 3, domain.StatusSucceeded: 7},
		}},
		Queue: depthQueue{depth: 4},
	})
	text := scrape(t, m)
	require.Contains(t, text, `taskrunner_tasks{status="queued",type="echo"} 3`)
	require.Contains(t, text, `taskrunner_tasks{status="succeeded",type="echo"} 7`)
	require.Contains(t, text, `taskrunner_tasks{status="running",type="fetch_url"} 0`, "known pairs are exported as zeros")
	require.Contains(t, text, "taskrunner_queue_depth 4")
	require.Contains(t, text, "go_goroutines")
	require.Contains(t, text, "process_")
}

func TestFailedReadsExposeNothingAndLog(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	m := metrics.New(metrics.Config{
		Store: countingStore{err: errors.New("db down")},
		Queue: depthQueue{err: errors.New("redis down")},
		Log:   slogTo(&logs),
	})
	text := scrape(t, m)
	require.NotContains(t, text, "taskrunner_tasks{")
	require.NotContains(t, text, "taskrunner_queue_depth ")
	require.Equal(t, 2, strings.Count(logs.String(), "metrics_scrape_failed"))
}

func TestNoStoreNoQueue(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	text := scrape(t, m)
	require.NotContains(t, text, "taskrunner_tasks{")
	require.NotContains(t, text, "taskrunner_queue_depth")
}

func TestTaskDurationAndHTTPObservations(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{})
	var _ ports.TaskObserver = m
	m.TaskFinished(domain.TaskSleep, domain.StatusSucceeded, 1500*time.Millisecond)
	m.TaskFinished(domain.TaskSleep, domain.StatusSucceeded, 30*time.Millisecond)
	m.ObserveHTTP("/tasks/:id", "GET", 200, 3*time.Millisecond)
	m.ObserveHTTP("/tasks/:id", "GET", 404, time.Millisecond)

	require.Equal(t, 2, testutil.CollectAndCount(m.Registry(), "taskrunner_http_requests_total"))
	text := scrape(t, m)
	require.Contains(t, text, `taskrunner_task_duration_seconds_count{status="succeeded",type="sleep"} 2`)
	require.Contains(t, text, `taskrunner_task_duration_seconds_sum{status="succeeded",type="sleep"} 1.53`)
	require.Contains(t, text, `taskrunner_http_requests_total{method="GET",route="/tasks/:id",status="404"} 1`)
	require.Contains(t, text, `taskrunner_http_request_duration_seconds_count{method="GET",route="/tasks/:id"} 2`)
}

// TestScrapeIsBounded: a store that hangs makes the scrape incomplete, not stuck.
func TestScrapeIsBounded(t *testing.T) {
	t.Parallel()
	m := metrics.New(metrics.Config{Store: hangingStore{}, ScrapeTimeout: 20 * time.Millisecond, Log: slogTo(io.Discard)})
	text := scrape(t, m)
	require.NotContains(t, text, "taskrunner_tasks{")
}

type hangingStore struct{ ports.TaskStore }

func (hangingStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
