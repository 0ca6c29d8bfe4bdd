package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/domain"
)

// The webhook flows join the flows run in both modes.
func init() {
	flows["webhook_delivery"] = flowWebhookDelivery
	flows["webhook_invalid_url"] = flowWebhookInvalidURL
}

// e2eWebhookKey is the key of the secret whsec_<base64 of it> the stacks sign with.
var e2eWebhookKey = []byte("e2e-webhook-key-of-32-bytes-long")

// signedReceiver accepts webhooks whose signature verifies (computed here from the spec:
// HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}", base64, "v1," prefix) and
// refuses the others with 401, keeping the bodies it accepted, and the raw queries of
// their URLs, by webhook-id.
type signedReceiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	bodies  map[string][][]byte
	queries map[string][]string
	bad     int
}

func newSignedReceiver(t *testing.T) *signedReceiver {
	r := &signedReceiver{bodies: map[string][][]byte{}, queries: map[string][]string{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		id, ts := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp")
		mac := hmac.New(sha256.New, e2eWebhookKey)
		mac.Write([]byte(id + "." + ts + "." + string(body)))
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		r.mu.Lock()
		defer r.mu.Unlock()
		if !hmac.Equal([]byte(want), []byte(req.Header.Get("webhook-signature"))) {
			r.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		r.bodies[id] = append(r.bodies[id], body)
		r.queries[id] = append(r.queries[id], req.URL.RawQuery)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *signedReceiver) received(id string) ([][]byte, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies[id]...), r.bad
}

func (r *signedReceiver) receivedQueries(id string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.queries[id]...)
}

func withWebhooks(c *bootstrap.Config) {
	key, err := domain.ParseWebhookSecret("whsec_" + base64.StdEncoding.EncodeToString(e2eWebhookKey))
	if err != nil {
		panic(err)
	}
	c.Webhooks.Key = key
	c.Webhooks.AllowPrivateNetworks = true // the receiver is on 127.0.0.1
}

type callbackJSON struct {
	URL       string  `json:"url"`
	Status    string  `json:"status"`
	Attempts  int     `json:"attempts"`
	LastError *string `json:"last_error"`
}

// waitCallback polls the task until its callback is no longer pending.
func (s *stack) waitCallback(t *testing.T, id string) callbackJSON {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		var tk struct {
			Callback *callbackJSON `json:"callback"`
		}
		require.NoError(t, json.Unmarshal(b, &tk))
		require.NotNil(t, tk.Callback, string(b))
		if tk.Callback.Status != "pending" {
			return *tk.Callback
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s: callback still pending: %s", id, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A task submitted with callback_url (POST /tasks, a shortcut, a batch) POSTs its final
// JSON there, signed; the task then shows the callback delivered. The URL's query (a
// receiver's token) reaches the receiver, while the task JSON and the body show its values
// masked.
func flowWebhookDelivery(t *testing.T, start starter) {
	s := start(t, withWebhooks)
	rcv := newSignedReceiver(t)
	url := rcv.srv.URL + "/hooks/taskrunner?token=e2e-hook-token"
	shown := rcv.srv.URL + "/hooks/taskrunner?token=REDACTED"

	echo := s.submit(t, "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "hi"}, "callback_url": url})
	// A fetch the worker cannot complete: its failure is a final state that calls back too.
	fetch := s.submit(t, "/fetch", map[string]any{"url": "http://127.0.0.1:1/", "callback_url": url})
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/batch", map[string]any{"tasks": []any{
		map[string]any{"type": "echo", "params": map[string]any{"n": 1}, "callback_url": url},
		map[string]any{"type": "echo", "params": map[string]any{"n": 2}},
	}})
	require.Equal(t, http.StatusAccepted, code, string(b))
	batch := decode[struct{ Tasks []task }](t, b)

	for _, tk := range []task{echo, fetch, batch.Tasks[0]} {
		final := s.wait(t, tk.ID, "succeeded", "failed")
		cb := s.waitCallback(t, tk.ID)
		require.Equal(t, callbackJSON{URL: shown, Status: "delivered", Attempts: 1}, cb)
		bodies, bad := rcv.received(tk.ID)
		require.Zero(t, bad, "every signature verified")
		require.Len(t, bodies, 1)
		got := decode[map[string]any](t, bodies[0])
		require.Equal(t, tk.ID, got["id"])
		require.Equal(t, final.Status, got["status"], "the body is the final task JSON")
		require.Equal(t, map[string]any{"url": shown, "status": "pending", "attempts": float64(1), "last_error": nil}, got["callback"])
		require.NotContains(t, string(bodies[0]), "e2e-hook-token")
		require.Equal(t, []string{"token=e2e-hook-token"}, rcv.receivedQueries(tk.ID), "delivered to the URL as submitted")
	}
	// The task submitted without callback_url shows none.
	code, b, _ = s.Call(t, http.MethodGet, "/tasks/"+batch.Tasks[1].ID, nil)
	require.Equal(t, http.StatusOK, code)
	require.Nil(t, decode[map[string]any](t, b)["callback"])
	s.logs.Wait(t, 10*time.Second, "webhook_delivered", echo.ID)
}

// An invalid callback_url is refused at submit, naming the field, wherever it is sent.
func flowWebhookInvalidURL(t *testing.T, start starter) {
	s := start(t, nil)
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/tasks", map[string]any{"type": "echo", "callback_url": "ftp://example.com/x"}},
		{"/fetch", map[string]any{"url": "https://example.com/", "callback_url": "not a url"}},
		{"/tasks", map[string]any{"type": "echo", "callback_url": "https://example.com/" + string(make([]byte, 3000))}},
		// Credentials in the URL are refused, so none is ever stored or shown.
		{"/tasks", map[string]any{"type": "echo", "callback_url": "https://hook:s3cr3t@example.com/x"}},
	} {
		code, b, _ := s.Call(t, http.MethodPost, c.path, c.body)
		require.Equal(t, http.StatusUnprocessableEntity, code, string(b))
		require.Equal(t, "callback_url", decode[apiError](t, b).Error.Details["field"], string(b))
	}
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/batch", map[string]any{"tasks": []any{
		map[string]any{"type": "echo"},
		map[string]any{"type": "echo", "callback_url": "mailto:someone@example.com"},
	}})
	require.Equal(t, http.StatusUnprocessableEntity, code, string(b))
	e := decode[apiError](t, b).Error
	require.Equal(t, "callback_url", e.Details["field"])
	require.EqualValues(t, 1, e.Details["index"])
}
