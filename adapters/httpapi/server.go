package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/adapters/internal/memo"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults applied by New to zero fields of Config.
const (
	DefaultReadTimeout     = 60 * time.Second
	DefaultWriteTimeout    = 60 * time.Second
	DefaultIdleTimeout     = 120 * time.Second
	DefaultRequestTimeout  = 30 * time.Second
	DefaultHealthTimeout   = 2 * time.Second
	DefaultHealthCacheTTL  = time.Second
	DefaultDownloadTimeout = 10 * time.Minute
	// bodyLimitSlack is room for the JSON around an artifact's base64 data.
	bodyLimitSlack = 64 << 10
)

// Deps are the services and probes the API serves.
type Deps struct {
	Tasks     *application.TaskService
	Artifacts *application.ArtifactService
	Runs      *application.RunService
	// Schedules serves /schedules; nil leaves those routes out.
	Schedules *application.ScheduleService
	// Deletion serves DELETE /tasks/{id}; Stats serves GET /stats. nil leaves the route out.
	Deletion *application.TaskDeletion
	Stats    *application.StatsService
	// Health maps a check name ("store", "queue", "blobs") to its probe for GET /health.
	Health map[string]ports.Pinger
	// Requests is told about every answered request; nil records nothing.
	Requests ports.RequestObserver
	// MetricsHandler serves GET /metrics (behind auth, like every route but /health and
	// /openapi.json); nil means the route does not exist and /metrics answers 404. It is a
	// plain http.Handler so that the API needs no metrics library of its own.
	MetricsHandler http.Handler
	Log            *slog.Logger
	// Clock times the /health cache; nil means the system clock.
	Clock ports.Clock
	// Events serves GET /events and GET /tasks/{id}?wait; nil: /events answers 503 and a
	// wait is not waited.
	Events *application.EventHub
	// Pages are the browser pages (/ui, /docs) mounted beside the API; nil serves none.
	Pages PageSet
}

// Config is the HTTP server's configuration. Zero durations take the Default* values.
type Config struct {
	Addr   string // host:port; port 0 picks a free port (see Server.Addr)
	Limits domain.Limits
	// APITokens turns bearer auth on when it holds at least one non-empty token.
	APITokens []string
	// TrustedProxies (TRUSTED_PROXIES) are the reverse proxies whose X-Forwarded-For is
	// believed when the client address is the rate-limit identity (see clientAddr).
	TrustedProxies []netip.Prefix
	// BodyLimitBytes caps request bodies; 0 derives it from Limits: the base64 size of the
	// artifact cap plus 64 KiB, so the largest legal artifact upload fits.
	BodyLimitBytes int
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
	IdleTimeout    time.Duration
	// RequestTimeout bounds the work of one request (the context handed to the services).
	RequestTimeout time.Duration
	// HealthTimeout bounds each probe of GET /health.
	HealthTimeout time.Duration
	// HealthCacheTTL is how long one round of probes answers GET /health, so that the
	// unauthenticated endpoint cannot make the server ping its services at the rate it is
	// called; negative probes on every call.
	HealthCacheTTL time.Duration
	// DownloadTimeout bounds streaming one artifact to a client.
	DownloadTimeout time.Duration
	// EventsKeepAlive is the interval of GET /events' keep-alive comments (15 s).
	EventsKeepAlive time.Duration
	// EventsWriteTimeout bounds each write of an event stream to its client.
	EventsWriteTimeout time.Duration
	// Settings are the operational settings GET /limits shows beside Limits.
	Settings Settings
}

// Settings are the effective settings of the processes behind this API that a client may
// want to know (how webhooks are delivered, how fetches treat sites), as GET /limits shows
// them. None is a secret; the bootstrap copies them from the one config.
type Settings struct {
	WebhookMaxAttempts          int           // WEBHOOK_MAX_ATTEMPTS
	WebhookAllowPrivateNetworks bool          // WEBHOOK_ALLOW_PRIVATE_NETWORKS
	FetchHostMinInterval        time.Duration // FETCH_HOST_MIN_INTERVAL_MS; 0: no pacing
	FetchRespectRobots          bool          // FETCH_RESPECT_ROBOTS
	FetchRobotsTTL              time.Duration // FETCH_ROBOTS_TTL_SECONDS
}

// Server is the HTTP API. Start binds and serves; Stop shuts down gracefully.
type Server struct {
	app    *fiber.App
	deps   Deps
	cfg    Config
	log    *slog.Logger
	tokens [][32]byte // sha256 of each API token, compared in constant time

	checks *memo.Value[map[string]string] // the last round of /health probes

	mu      sync.Mutex
	ln      net.Listener
	served  chan struct{} // closed when the serve goroutine returns
	stopped bool
	fresh   *freshConns

	// life ends when Stop begins: event streams and waits end with it rather than hold
	// the graceful shutdown up.
	life    context.Context
	endLife context.CancelFunc
}

// New builds the server and its routes without binding anything.
func New(deps Deps, cfg Config) (*Server, error) {
	if deps.Tasks == nil || deps.Artifacts == nil || deps.Runs == nil || deps.Log == nil {
		return nil, errors.New("httpapi: New needs Deps.Tasks, Deps.Artifacts, Deps.Runs and Deps.Log")
	}
	cfg = withDefaults(cfg)
	s := &Server{deps: deps, cfg: cfg, log: deps.Log, tokens: hashTokens(cfg.APITokens),
		checks: memo.New[map[string]string](deps.Clock, cfg.HealthCacheTTL)}
	s.life, s.endLife = context.WithCancel(context.Background())
	s.app = fiber.New(fiber.Config{
		AppName:               "taskrunner",
		DisableStartupMessage: true,
		// Immutable: values read from the request (params, headers) outlive the handler in
		// logs and service calls; fasthttp would otherwise reuse their bytes.
		Immutable:     true,
		CaseSensitive: true,
		// Bodies are streamed: fasthttp hands a request to the routes once its header is in
		// (with at most 8 KiB of the body read alongside), so authentication, the upload
		// rate limit and the Content-Length check run before the body is read, and readBody
		// then reads it bounded by BodyLimitBytes (fasthttp's own limit does not apply to
		// a streamed body). settleBody deals with bodies nobody read.
		StreamRequestBody: true,
		BodyLimit:         cfg.BodyLimitBytes,
		// fasthttp would otherwise read a whole multipart body (to memory and temporary
		// files) before any handler could refuse it; no route takes one.
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  cfg.ReadTimeout,
		WriteTimeout:                 cfg.WriteTimeout,
		IdleTimeout:                  cfg.IdleTimeout,
		ErrorHandler:                 s.handleError,
	})
	s.fresh = newFreshConns()
	s.app.Server().ConnState = s.fresh.track
	s.routes()
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Limits.TaskMaxArtifactMB <= 0 {
		cfg.Limits.TaskMaxArtifactMB = domain.DefaultLimits().TaskMaxArtifactMB
	}
	if cfg.HealthCacheTTL == 0 {
		cfg.HealthCacheTTL = DefaultHealthCacheTTL
	}
	if cfg.BodyLimitBytes <= 0 {
		raw := cfg.Limits.MaxArtifactBytes()
		cfg.BodyLimitBytes = int(4*((raw+2)/3)) + bodyLimitSlack
	}
	defaults := []struct {
		d *time.Duration
		v time.Duration
	}{
		{&cfg.ReadTimeout, DefaultReadTimeout}, {&cfg.WriteTimeout, DefaultWriteTimeout},
		{&cfg.IdleTimeout, DefaultIdleTimeout}, {&cfg.RequestTimeout, DefaultRequestTimeout},
		{&cfg.HealthTimeout, DefaultHealthTimeout}, {&cfg.DownloadTimeout, DefaultDownloadTimeout},
		{&cfg.EventsKeepAlive, DefaultEventsKeepAlive}, {&cfg.EventsWriteTimeout, DefaultEventsWriteTimeout},
	}
	for _, d := range defaults {
		if *d.d <= 0 {
			*d.d = d.v
		}
	}
	return cfg
}

// App returns the Fiber app, for in-process tests (app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Start binds the listener synchronously, so that a bad or busy address fails start-up,
// then serves in the background. It returns an error if called twice.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil || s.stopped {
		return errors.New("httpapi: server already started")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("httpapi: listen on %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		if err := s.app.Listener(lingerListener{ln}); err != nil && !isClosedListener(err) {
			s.log.Error("http_serve_failed", "addr", ln.Addr().String(), "error", err.Error())
		}
	}()
	s.log.Info("http_listening", "addr", ln.Addr().String(), "auth", len(s.tokens) > 0,
		"body_limit_bytes", s.cfg.BodyLimitBytes)
	return nil
}

// Addr returns the bound address once started ("" before), e.g. to learn a port-0 choice.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Stop stops accepting connections and waits for in-flight requests until ctx ends, then
// closes what is left. It is idempotent and a no-op on a server never started.
func (s *Server) Stop(ctx context.Context) error {
	s.endLife()
	s.mu.Lock()
	if s.stopped || s.ln == nil {
		s.stopped = true
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	served, ln := s.served, s.ln
	s.mu.Unlock()

	// Shutdown closes the listener at once; after that no fresh connection can arrive, so
	// closing the ones that never sent a request lets it finish as soon as real work does.
	stopFresh := make(chan struct{})
	go func() {
		defer close(stopFresh)
		for {
			s.fresh.closeAll()
			select {
			case <-served:
				return
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	err := s.app.ShutdownWithContext(ctx)
	defer func() { <-stopFresh }()
	// Close the listener too: if the serve goroutine has not reached Serve yet, Shutdown
	// had nothing to close and Serve would otherwise start afterwards and run forever.
	_ = ln.Close()
	select {
	case <-served:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	s.log.Info("http_stopped")
	return err
}

func isClosedListener(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) ||
		strings.Contains(err.Error(), "use of closed network connection")
}
