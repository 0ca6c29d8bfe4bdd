package application_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/memory"
	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/logcapture"
)

// testWebhookSecret is a secret in the Standard Webhooks form; its key is the 32 bytes
// "0123456789abcdef0123456789abcdef".
const testWebhookSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// receiver is a local webhook endpoint that answers with the scripted statuses in turn
// (the last one repeats) and records every request.
type receiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []receivedHook
}

type receivedHook struct {
	header http.Header
	query  string // the raw query of the request URL
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, receivedHook{header: req.Header.Clone(), query: req.URL.RawQuery, body: body})
		status := r.statuses[min(len(r.got), len(r.statuses))-1]
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) hooks() []receivedHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedHook(nil), r.got...)
}

// callbackRig is a deliverer over a memory store, stepped by hand on a fake clock.
type callbackRig struct {
	store *memory.TaskStore
	clock *memory.FakeClock
	d     *application.CallbackDeliverer
	logs  *logcapture.Buffer
}

type callbackRigOptions struct {
	secret       string
	maxAttempts  int
	allowPrivate bool
	concurrency  int // 0: the default
}

func newCallbackRig(t *testing.T, o callbackRigOptions) *callbackRig {
	t.Helper()
	key, err := domain.ParseWebhookSecret(o.secret)
	require.NoError(t, err)
	r := &callbackRig{store: memory.NewTaskStore(), clock: memory.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		logs: &logcapture.Buffer{}}
	sender := web.NewWebhookSender(web.WebhookConfig{AllowPrivateNetworks: o.allowPrivate, Timeout: 5 * time.Second})
	t.Cleanup(sender.Close)
	r.d, err = application.NewCallbackDeliverer(application.CallbackDeps{
		Outbox: r.store, Sender: sender, Encoder: httpapi.TaskEncoder{}, Clock: r.clock,
		Log:    slog.New(slog.NewJSONHandler(r.logs, nil)),
		Jitter: func() float64 { return 0 }, // the schedule exactly: 5 s, 30 s, ...
	}, application.CallbackConfig{Secret: key, MaxAttempts: o.maxAttempts, Poll: 10 * time.Millisecond,
		Concurrency: o.concurrency})
	require.NoError(t, err)
	return r
}

// finishedTask stores a task with a callback to url and finishes it through the domain
// transitions, as a worker does; its callback is then due.
func (r *callbackRig) finishedTask(t *testing.T, url string) domain.Task {
	t.Helper()
	task := contract.NewTask(contract.WithCallback(url))
	_, _, err := r.store.Create(t.Context(), task)
	require.NoError(t, err)
	now := r.clock.Now()
	_, err = r.store.Update(t.Context(), task.ID, func(t *domain.Task) error { return t.Start("h", now) })
	require.NoError(t, err)
	done, err := r.store.Update(t.Context(), task.ID, func(t *domain.Task) error { return t.Succeed([]byte(`{"ok":true}`), now) })
	require.NoError(t, err)
	require.True(t, done.Callback.Due())
	return done
}

func (r *callbackRig) callback(t *testing.T, id string) domain.Callback {
	t.Helper()
	got, err := r.store.Get(t.Context(), id)
	require.NoError(t, err)
	require.NotNil(t, got.Callback)
	return *got.Callback
}

// expectedSignature is the Standard Webhooks scheme written out from the spec, apart from
// the code under test: HMAC-SHA256 keyed with the base64-decoded part after "whsec_",
// over "{id}.{timestamp}.{body}", base64, prefixed with the version "v1,".
func expectedSignature(t *testing.T, secret, id, timestamp string, body []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	require.NoError(t, err)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "." + string(body)))
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestCallbackIsSignedAsStandardWebhooksSays(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusNoContent)
	r := newCallbackRig(t, callbackRigOptions{secret: testWebhookSecret, allowPrivate: true})
	task := r.finishedTask(t, rcv.srv.URL+"/hook?src=test&token=s3cr3t")

	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	hooks := rcv.hooks()
	require.Len(t, hooks, 1)
	h := hooks[0]
	require.Equal(t, "src=test&token=s3cr3t", h.query, "delivered to the URL as submitted")
	require.Equal(t, task.ID, h.header.Get("webhook-id"))
	require.Equal(t, strconv.FormatInt(r.clock.Now().Unix(), 10), h.header.Get("webhook-timestamp"))
	require.Equal(t, "application/json", h.header.Get("Content-Type"))
	require.Equal(t, expectedSignature(t, testWebhookSecret, task.ID, h.header.Get("webhook-timestamp"), h.body),
		h.header.Get("webhook-signature"))

	// The body is the task JSON, as GET /tasks/{id} shows it at the attempt.
	var body map[string]any
	require.NoError(t, json.Unmarshal(h.body, &body))
	require.Equal(t, task.ID, body["id"])
	require.Equal(t, "succeeded", body["status"])
	require.Equal(t, map[string]any{"ok": true}, body["result"])
	// The callback URL shows its query values masked: the body is no place for a token.
	require.Equal(t, map[string]any{"url": rcv.srv.URL + "/hook?src=REDACTED&token=REDACTED", "status": "pending", "attempts": float64(1),
		"last_error": nil}, body["callback"])
	require.NotContains(t, string(h.body), "s3cr3t")

	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackDelivered, cb.Status)
	require.Equal(t, 1, cb.Attempts)
	require.Nil(t, cb.NextAt)
	require.Len(t, r.logs.Events("webhook_delivered"), 1)
	require.NotContains(t, r.logs.String(), testWebhookSecret[len("whsec_"):], "the secret is never logged")
}

func TestCallbackRetriesWithBackoffUntilA2xx(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusOK)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true}) // no secret: unsigned
	task := r.finishedTask(t, rcv.srv.URL)

	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackPending, cb.Status)
	require.Equal(t, 1, cb.Attempts)
	require.Equal(t, "the receiver answered HTTP 500", cb.LastError)
	require.Equal(t, r.clock.Now().Add(5*time.Second), *cb.NextAt, "the first retry within 5 s")

	r.clock.Advance(5*time.Second - time.Millisecond)
	require.Zero(t, r.d.RunOnce(t.Context()), "not due before the backoff ends")
	r.clock.Advance(time.Millisecond)
	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	cb = r.callback(t, task.ID)
	require.Equal(t, 2, cb.Attempts)
	require.Equal(t, r.clock.Now().Add(30*time.Second), *cb.NextAt, "then 30 s")

	r.clock.Advance(30 * time.Second)
	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	cb = r.callback(t, task.ID)
	require.Equal(t, domain.CallbackDelivered, cb.Status)
	require.Equal(t, 3, cb.Attempts)
	require.Empty(t, cb.LastError)

	hooks := rcv.hooks()
	require.Len(t, hooks, 3)
	for _, h := range hooks {
		require.Equal(t, task.ID, h.header.Get("webhook-id"), "webhook-id is stable across retries")
		require.Empty(t, h.header.Get("webhook-signature"), "unsigned without WEBHOOK_SECRET")
	}
	require.Len(t, r.logs.Events("webhook_retry"), 2)
	require.Len(t, r.logs.Events("webhook_delivered"), 1)
}

func TestCallback410StopsDelivery(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusGone)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true})
	task := r.finishedTask(t, rcv.srv.URL)

	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackFailed, cb.Status)
	require.Contains(t, cb.LastError, "410")
	r.clock.Advance(48 * time.Hour)
	require.Zero(t, r.d.RunOnce(t.Context()), "a 410 is never retried")
	require.Len(t, rcv.hooks(), 1)
	require.Len(t, r.logs.Events("webhook_failed"), 1)
}

func TestCallbackFailsAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusServiceUnavailable)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true, maxAttempts: 3})
	task := r.finishedTask(t, rcv.srv.URL)

	for attempt := 1; attempt <= 3; attempt++ {
		require.Equal(t, 1, r.d.RunOnce(t.Context()), "attempt %d", attempt)
		r.clock.Advance(time.Hour) // past any backoff of the schedule
	}
	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackFailed, cb.Status)
	require.Equal(t, 3, cb.Attempts)
	require.Equal(t, "the receiver answered HTTP 503", cb.LastError)
	require.Zero(t, r.d.RunOnce(t.Context()))
	require.Len(t, rcv.hooks(), 3)
}

// Without WEBHOOK_ALLOW_PRIVATE_NETWORKS the fetcher's guard refuses a loopback receiver
// before a packet is sent; the delivery fails at once (no retry can change the address
// rules) and last_error says why and what to set.
func TestCallbackToAPrivateAddressIsRefusedByTheGuard(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	r := newCallbackRig(t, callbackRigOptions{})
	task := r.finishedTask(t, rcv.srv.URL)

	require.Equal(t, 1, r.d.RunOnce(t.Context()))
	cb := r.callback(t, task.ID)
	require.Equal(t, domain.CallbackFailed, cb.Status)
	require.Contains(t, cb.LastError, "127.0.0.1 is not a public address")
	require.Contains(t, cb.LastError, "WEBHOOK_ALLOW_PRIVATE_NETWORKS")
	require.Empty(t, rcv.hooks(), "the receiver got nothing")
}

// Started, the deliverer delivers on its own (nudged, or by its poll) and stops cleanly.
func TestCallbackDelivererRunsInTheBackground(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	r := newCallbackRig(t, callbackRigOptions{allowPrivate: true})
	require.NoError(t, r.d.Start(t.Context()))
	task := r.finishedTask(t, rcv.srv.URL)
	r.d.Nudge()
	require.Eventually(t, func() bool { return r.callback(t, task.ID).Status == domain.CallbackDelivered },
		waitLimit, 5*time.Millisecond)
	require.NoError(t, r.d.Stop(t.Context()))
	require.NoError(t, r.d.Stop(t.Context()), "Stop is idempotent")
}
