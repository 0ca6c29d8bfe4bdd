package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// serverReadHeaderTimeout bounds a scraper's request header, so an idle connection cannot
// hold the listener's goroutine forever.
const serverReadHeaderTimeout = 5 * time.Second

// ServerConfig says where a Server listens and what it serves at GET Path.
type ServerConfig struct {
	Addr    string       // host:port; port 0 picks a free port (see Server.Addr)
	Handler http.Handler // usually Metrics.Handler()
	// Path is where Handler is mounted: "/metrics" when empty; a path ending in "/" serves
	// the whole subtree (the profiler's "/debug/pprof/").
	Path string
	Log  *slog.Logger // receives metrics_listening and metrics_serve_failed; nil discards
}

// Server serves GET /metrics on its own listener: for a process that has no API server to
// mount the handler on (a worker-only process, where the task durations are observed).
// Start binds and serves; Stop shuts down gracefully.
type Server struct {
	cfg  ServerConfig
	srv  *http.Server
	mu   sync.Mutex
	addr string
}

// NewServer returns the server without binding anything.
func NewServer(cfg ServerConfig) (*Server, error) {
	if cfg.Addr == "" || cfg.Handler == nil {
		return nil, errors.New("metrics: NewServer needs Addr and Handler")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	mux := http.NewServeMux()
	if cfg.Path == "" {
		cfg.Path = "/metrics"
	}
	mux.Handle("GET "+cfg.Path, cfg.Handler)
	return &Server{cfg: cfg, srv: &http.Server{Handler: mux, ReadHeaderTimeout: serverReadHeaderTimeout}}, nil
}

// Start binds the address within ctx and serves in the background, so an address in use
// fails the caller's start-up rather than a goroutine later.
func (s *Server) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Log.Error("metrics_serve_failed", "error", err.Error())
		}
	}()
	s.cfg.Log.Info("metrics_listening", "addr", s.Addr())
	return nil
}

// Addr is the bound address once Start returned, "" before.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Stop stops accepting scrapes and waits, until ctx ends, for those in flight.
func (s *Server) Stop(ctx context.Context) error { return s.srv.Shutdown(ctx) }
