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
	"taskrunner/test/logcapture"
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
	m.RequestServed(ports.ServedRequest{Route: "/tasks/:id", Method: "GET", Status: 200, Duration: 3 * time.Millisecond})
	m.RequestServed(ports.ServedRequest{Route: "/tasks/:id", Method: "GET", Status: 404, Duration: time.Millisecond})

	require.Equal(t, 2, testutil.CollectAndCount(m.Registry(), "taskrunner_http_requests_total"))
	text := scrape(t, m)
	require.Contains(t, text, `taskrunner_task_duration_seconds_count{status="succeeded",type="sleep"} 2`)
	require.Contains(t, text, `taskrunner_task_duration_seconds_sum{status="succeeded",type="sleep"} 1.53`)
	require.Contains(t, text, `taskrunner_http_requests_total{method="GET",route="/tasks/:id",status="404"} 1`)
	require.Contains(t, text, `taskrunner_http_request_duration_seconds_count{method="GET",route="/tasks/:id"} 2`)
}

// TestScrapeIsBounded: a store that hangs makes the scrape incomplete, not stuck. The
// store's read gets a deadline of ScrapeTimeout, the scrape answers well within a bound
// that only a hang could overrun, it still carries the metrics that could be read, and
// the failed read is logged.
func TestScrapeIsBounded(t *testing.T) {
	t.Parallel()
	const timeout = 20 * time.Millisecond
	store := newHangingStore(t)
	logs := &logcapture.Buffer{}
	m := metrics.New(metrics.Config{Store: store, Queue: depthQueue{depth: 4}, ScrapeTimeout: timeout, Log: slogTo(logs)})

	scraped := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		scraped <- rec
	}()
	var rec *httptest.ResponseRecorder
	select {
	case rec = <-scraped:
	case <-time.After(5 * time.Second): // 250 times the scrape timeout: only a hang gets here
		t.Fatal("the scrape is stuck behind a hanging store")
	}

	select {
	case call := <-store.calls:
		require.True(t, call.hasDeadline, "the store's read has no deadline")
		require.LessOrEqual(t, call.deadline.Sub(call.at), timeout, "the read may outlast ScrapeTimeout")
		require.ErrorIs(t, call.err, context.DeadlineExceeded, "the read ended by its deadline")
	default:
		t.Fatal("the scrape never asked the store")
	}
	require.Equal(t, http.StatusOK, rec.Code)
	text := rec.Body.String()
	require.Contains(t, text, "taskrunner_queue_depth 4", "what could be read is still exported")
	require.Contains(t, text, "go_goroutines")
	require.NotContains(t, text, "taskrunner_tasks{", "nothing is made up for the hung read")
	failed := logs.Events("metrics_scrape_failed")
	require.Len(t, failed, 1, "only the hung read failed")
	require.Equal(t, "tasks", failed[0]["metric"])
	require.Equal(t, context.DeadlineExceeded.Error(), failed[0]["error"])
}

// hangingStore answers CountByTypeStatus only when its context ends (or the test does),
// reporting each call on calls.
type hangingStore struct {
	ports.TaskStore
	calls   chan hangingCall
	release chan struct{}
}

type hangingCall struct {
	at, deadline time.Time
	hasDeadline  bool
	err          error
}

func newHangingStore(t *testing.T) *hangingStore {
	s := &hangingStore{calls: make(chan hangingCall, 8), release: make(chan struct{})}
	// A scrape that is not bounded would leave this call hanging: free it when the test ends.
	t.Cleanup(func() { close(s.release) })
	return s
}

func (s *hangingStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	call := hangingCall{at: time.Now()}
	call.deadline, call.hasDeadline = ctx.Deadline()
	select {
	case <-ctx.Done():
		call.err = ctx.Err()
	case <-s.release:
		call.err = errors.New("released by the test's end")
	}
	s.calls <- call
	return nil, call.err
}
