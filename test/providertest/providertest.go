// Package providertest serves canned answers the way a search provider's HTTP API does:
// it checks each request as the provider would (key, method, path, parameters), answers a
// bad one with the provider's own error, and serves a good one the next canned Reply. The
// Brave and Exa adapter tests, their contract runs and the end-to-end suite share it, so a
// provider's rules are written down once.
package providertest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// Slow as a Reply's Status holds the request until the client gives up, for timeouts.
const Slow = -1

// slowLimit ends a Slow reply whose client never gives up, so a broken test cannot hang
// the server's Close.
const slowLimit = 10 * time.Second

// Reply is one canned answer.
type Reply struct {
	Status  int    // HTTP status, or Slow
	Fixture string // file under the API's Dir; "" to answer Body
	Body    string
	Headers map[string]string
}

// API describes a provider's endpoint as the fake enforces it.
type API struct {
	Method, Path string
	// ContentType is set on every answer, the provider's errors included.
	ContentType string
	// Dir holds the fixtures Replies name.
	Dir string
	// Check validates a request (its body already read) as the provider does and returns
	// the provider's answer to a bad one, or nil to serve the next canned Reply.
	Check func(r *http.Request, body []byte) *Reply
}

// Request is what the server recorded of a request.
type Request struct {
	URI  string // path and query
	Body []byte
}

// Server is a running fake. It serves its Replies in turn, counting every request that
// reached it (refused ones too) toward the turn; the last Reply repeats.
type Server struct {
	// URL is the server's origin, e.g. http://127.0.0.1:41234.
	URL     string
	t       testing.TB
	api     API
	replies []Reply
	hits    atomic.Int32
	last    atomic.Pointer[Request]
}

// New starts a fake of api serving replies, closed when the test ends.
func New(t testing.TB, api API, replies ...Reply) *Server {
	t.Helper()
	if len(replies) == 0 {
		t.Fatal("providertest: a server needs at least one Reply")
	}
	s := &Server{t: t, api: api, replies: replies}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Endpoint is the URL of the API's path on this server, what an adapter is configured with.
func (s *Server) Endpoint() string { return s.URL + s.api.Path }

// Hits returns how many requests reached the server.
func (s *Server) Hits() int { return int(s.hits.Load()) }

// Last returns the last request; the zero Request before any.
func (s *Server) Last() Request {
	if r := s.last.Load(); r != nil {
		return *r
	}
	return Request{}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := int(s.hits.Add(1))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	s.last.Store(&Request{URI: r.URL.RequestURI(), Body: body})
	if r.Method != s.api.Method || r.URL.Path != s.api.Path {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if s.api.Check != nil {
		if refusal := s.api.Check(r, body); refusal != nil {
			s.write(w, *refusal)
			return
		}
	}
	rep := s.replies[min(n, len(s.replies))-1]
	if rep.Status == Slow {
		select {
		case <-r.Context().Done():
		case <-time.After(slowLimit):
		}
		return
	}
	s.write(w, rep)
}

func (s *Server) write(w http.ResponseWriter, rep Reply) {
	body := []byte(rep.Body)
	if rep.Fixture != "" {
		var err error
		body, err = os.ReadFile(filepath.Join(s.api.Dir, rep.Fixture))
		if err != nil {
			s.t.Errorf("providertest: fixture: %v", err) // Errorf: this runs on the server's goroutine
		}
	}
	w.Header().Set("Content-Type", s.api.ContentType)
	for k, v := range rep.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.Status)
	_, _ = w.Write(body)
}

// Hanging starts a server that accepts requests and answers none until the client gives
// up or the test ends, and returns its URL.
func Hanging(t testing.TB) string {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for handlers
	return srv.URL
}
