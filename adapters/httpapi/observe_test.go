package httpapi_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

// requestLog is the rig's ports.RequestObserver: it keeps what the server reported.
type requestLog struct {
	mu     sync.Mutex
	served []ports.ServedRequest
}

var _ ports.RequestObserver = (*requestLog)(nil)

func (l *requestLog) RequestServed(r ports.ServedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.served = append(l.served, r)
}

// seen returns the reports so far without their durations, which tests cannot predict,
// and whether every one of them carried a duration.
func (l *requestLog) seen() (reports []ports.ServedRequest, timed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	reports, timed = slices.Clone(l.served), true
	for i := range reports {
		timed = timed && reports[i].Duration > 0
		reports[i].Duration = 0
	}
	return reports, timed
}

// stubMetrics stands in for the metrics adapter's handler: the API only has to serve it.
var stubMetrics = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = w.Write([]byte("stub_metric 1\n"))
})

// The observer hears every answered request under its route template, never the raw path
// (a label set built from it stays bounded), unmatched paths and panics included.
func TestRequestsAreObservedByRouteTemplate(t *testing.T) {
	t.Parallel()
	r := setup(t)
	id := r.submitEcho("m")
	r.do("GET", "/tasks/"+id, nil)
	r.do("GET", "/nope", nil)
	r.store.panicOnList.Store(true)
	r.do("GET", "/tasks", nil)

	reports, timed := r.requests.seen()
	require.Equal(t, []ports.ServedRequest{
		{Route: "/tasks", Method: "POST", Status: http.StatusAccepted},
		{Route: "/tasks/:id", Method: "GET", Status: http.StatusOK},
		{Route: "unmatched", Method: "GET", Status: http.StatusNotFound},
		{Route: "/tasks", Method: "GET", Status: http.StatusInternalServerError},
	}, reports)
	require.True(t, timed, "every report carries how long the request took")
}

func TestMetricsServesTheHandlerHandedIn(t *testing.T) {
	t.Parallel()
	r := setup(t)
	resp := r.do("GET", "/metrics", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "stub_metric 1\n", string(resp.body))
	reports, _ := r.requests.seen()
	require.Equal(t, []ports.ServedRequest{{Route: "/metrics", Method: "GET", Status: http.StatusOK}}, reports)
}
