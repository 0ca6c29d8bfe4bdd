package application_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// gatedReceiver is a webhook endpoint that holds every request to a path under /slow until
// the test lets one go (release) or the sender gives up, and answers the rest at once; all
// with 204. It reports each arrival on arrived and counts the requests it holds.
type gatedReceiver struct {
	srv     *httptest.Server
	release chan struct{}
	arrived chan string
	mu      sync.Mutex
	held    int
	maxHeld int
}

func newGatedReceiver(t *testing.T) *gatedReceiver {
	r := &gatedReceiver{release: make(chan struct{}), arrived: make(chan string, 64)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		// Read the body: the server notices a client that gave up only after it.
		_, _ = io.Copy(io.Discard, req.Body)
		r.arrived <- req.URL.Path
		if strings.HasPrefix(req.URL.Path, "/slow") {
			r.mu.Lock()
			r.held++
			r.maxHeld = max(r.maxHeld, r.held)
			r.mu.Unlock()
			select {
			case <-r.release:
			case <-req.Context().Done():
			}
			r.mu.Lock()
			r.held--
			r.mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// next waits for the next request to arrive and returns its path.
func (r *gatedReceiver) next(t *testing.T) string {
	t.Helper()
	select {
	case p := <-r.arrived:
		return p
	case <-time.After(waitLimit):
		t.Fatalf("no webhook arrived within %s", waitLimit)
		return ""
	}
}

// letOneGo answers one held request.
func (r *gatedReceiver) letOneGo(t *testing.T) {
	t.Helper()
	select {
	case r.release <- struct{}{}:
	case <-time.After(waitLimit):
		t.Fatalf("no held webhook to answer within %s", waitLimit)
	}
}

func (r *gatedReceiver) counts() (held, maxHeld int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held, r.maxHeld
}

// A receiver that takes its time holds only its own delivery's slot: another task's
// webhook, due while the slow one is on the wire, is delivered at once.
func TestCallbackSlowReceiverDoesNotDelayOthers(t *testing.T) {
	t.Parallel()
	rcv := newGatedReceiver(t)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true})
	slow := r.finishedTask(t, rcv.srv.URL+"/slow")
	require.NoError(t, r.d.Start(t.Context()))
	t.Cleanup(func() { _ = r.d.Stop(t.Context()) })
	require.Equal(t, "/slow", rcv.next(t))

	fast := r.finishedTask(t, rcv.srv.URL+"/fast")
	r.d.Nudge()
	require.Equal(t, "/fast", rcv.next(t))
	require.Eventually(t, func() bool { return r.callback(t, fast.ID).Status == domain.CallbackDelivered },
		waitLimit, 5*time.Millisecond)
	held, _ := rcv.counts()
	require.Equal(t, 1, held, "the slow receiver still holds its webhook")
	cb := r.callback(t, slow.ID)
	require.Equal(t, domain.CallbackPending, cb.Status)
	require.Empty(t, cb.LastError, "the slow delivery's attempt has not ended: the fast one did not wait for it")
	require.Len(t, r.logs.Events("webhook_delivered"), 1, "the fast one only")
	require.Empty(t, r.logs.Events("webhook_retry"))

	rcv.letOneGo(t)
	require.Eventually(t, func() bool { return r.callback(t, slow.ID).Status == domain.CallbackDelivered },
		waitLimit, 5*time.Millisecond)
	require.Equal(t, 1, r.callback(t, slow.ID).Attempts)
}

// However many are due, no more deliveries than Concurrency are in flight at once; a slot
// freed by one that ends takes the next due delivery without waiting for the others.
func TestCallbackDelivererKeepsConcurrencyInFlight(t *testing.T) {
	t.Parallel()
	rcv := newGatedReceiver(t)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true, concurrency: 2})
	var tasks []domain.Task
	for range 3 {
		tasks = append(tasks, r.finishedTask(t, rcv.srv.URL+"/slow"))
	}
	require.NoError(t, r.d.Start(t.Context()))
	t.Cleanup(func() { _ = r.d.Stop(t.Context()) })
	rcv.next(t)
	rcv.next(t)
	rcv.letOneGo(t)
	rcv.next(t) // the third, in the slot the first freed while the second is still held
	held, maxHeld := rcv.counts()
	require.Equal(t, 2, held)
	require.Equal(t, 2, maxHeld, "never more than Concurrency at once")

	rcv.letOneGo(t)
	rcv.letOneGo(t)
	for _, task := range tasks {
		require.Eventually(t, func() bool { return r.callback(t, task.ID).Status == domain.CallbackDelivered },
			waitLimit, 5*time.Millisecond)
	}
	_, maxHeld = rcv.counts()
	require.Equal(t, 2, maxHeld)
}

// Stop does not wait for a slow receiver: it cancels the attempts in flight, waits for them
// to return, and records nothing for them; their claims lapse and the delivery is made
// again after the lease.
func TestCallbackDelivererStopCancelsSlowDeliveries(t *testing.T) {
	t.Parallel()
	rcv := newGatedReceiver(t)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true})
	task := r.finishedTask(t, rcv.srv.URL+"/slow")
	require.NoError(t, r.d.Start(t.Context()))
	rcv.next(t)
	require.NoError(t, r.d.Stop(t.Context()))
	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackPending, cb.Status)
	require.Equal(t, 1, cb.Attempts, "claimed once")
	require.Empty(t, cb.LastError, "an attempt cut short by Stop is not recorded")
	require.Empty(t, r.logs.Events("webhook_delivered"))
	require.Empty(t, r.logs.Events("webhook_retry"))
}
