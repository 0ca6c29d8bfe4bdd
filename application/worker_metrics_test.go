package application_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

// scrapeMetrics reads the rig's /metrics as Prometheus would.
func scrapeMetrics(t *testing.T, r *workerRig) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body, err := io.ReadAll(rec.Body)
	require.NoError(t, err)
	return string(body)
}

func TestWorkerRetryIncrementsRetryCounter(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: flaky(2, &calls)}, application.WorkerConfig{})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(2)})
	r.waitStatus(t, task.ID, domain.StatusSucceeded)
	body := scrapeMetrics(t, r)
	require.Contains(t, body, `taskrunner_task_retries_total{type="echo"} 2`+"\n")
	// Every run has ended: nothing is left in flight.
	require.Contains(t, body, `taskrunner_tasks_in_flight{type="echo"} 0`+"\n")
}
