package application_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// recordedWork is a ports.WorkObserver that remembers every call, for assertions: the
// application reaches the metrics adapter only through this port.
type recordedWork struct {
	mu     sync.Mutex
	counts map[string]int // "event/type" → calls (in_flight: the running sum)
}

var _ ports.WorkObserver = (*recordedWork)(nil)

func newRecordedWork() *recordedWork { return &recordedWork{counts: map[string]int{}} }

func (w *recordedWork) add(event string, t domain.TaskType, n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.counts[event+"/"+string(t)] += n
}

// count is what event added up to for type t.
func (w *recordedWork) count(event string, t domain.TaskType) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.counts[event+"/"+string(t)]
}

func (w *recordedWork) TaskRetried(t domain.TaskType)          { w.add("retried", t, 1) }
func (w *recordedWork) TaskRedelivered(t domain.TaskType)      { w.add("redelivered", t, 1) }
func (w *recordedWork) TaskRequeued(t domain.TaskType)         { w.add("requeued", t, 1) }
func (w *recordedWork) TasksInFlight(t domain.TaskType, d int) { w.add("in_flight", t, d) }
func (w *recordedWork) ProviderCalled(p, outcome string, _ time.Duration) {
	w.add("provider:"+p+":"+outcome, "", 1)
}
func (w *recordedWork) PageFetched(outcome string, _ int, _ time.Duration) {
	w.add("fetch:"+outcome, "", 1)
}

func TestWorkerRetryIncrementsRetryCounter(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	r := newWorkerRig(t, application.Handlers{domain.TaskEcho: flaky(2, &calls)}, application.WorkerConfig{})
	r.start(t)
	task := r.submit(t, domain.TaskEcho, `{}`, submitOpts{retries: intp(2)})
	r.waitStatus(t, task.ID, domain.StatusSucceeded)
	require.Equal(t, 2, r.work.count("retried", domain.TaskEcho))
	require.Zero(t, r.work.count("redelivered", domain.TaskEcho))
	// Every run has ended: nothing is left in flight.
	require.Zero(t, r.work.count("in_flight", domain.TaskEcho))
}
