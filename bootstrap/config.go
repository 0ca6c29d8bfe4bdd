package bootstrap

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"taskrunner/domain"
)

// Mode selects the adapters.
type Mode string

// Modes: memory (one process, nothing to install) and services (PostgreSQL, Redis, MinIO).
const (
	ModeMemory   Mode = "memory"
	ModeServices Mode = "services"
)

// Config is every setting, read once at start-up from the environment. Secrets it holds
// (API keys, tokens, passwords) are never logged; LogValue redacts them.
type Config struct {
	Mode     Mode
	HTTPAddr string
	LogLevel string // debug, info, warn, error
	LogJSON  bool   // LOG_FORMAT=json (default) or text

	APITokens      []string
	TrustedProxies []netip.Prefix // TRUSTED_PROXIES: whose X-Forwarded-For is believed

	DatabaseURL      string
	DatabaseMaxConns int32
	RedisURL         string
	RedisPrefix      string
	RedisPoolSize    int // 0: derived from the worker concurrency, see RedisPool
	MinIO            MinIOConfig

	Limits domain.Limits

	BraveAPIKey        string
	BraveAPIURL        string
	ExaAPIKey          string
	ExaAPIURL          string
	SearchCacheTTL     time.Duration
	ProviderTimeout    time.Duration
	FetchCacheTTL      time.Duration
	FetchAllowPrivate  bool
	FetchUserAgent     string
	FetchTimeout       time.Duration
	WorkerConcurrency  int
	WorkerMetricsAddr  string
	PprofAddr          string // PPROF_ADDR: Go profiler listener; empty: off
	WorkerLease        time.Duration
	RetryBaseDelay     time.Duration
	ShutdownGrace      time.Duration
	ReconcileInterval  time.Duration
	MetricsCacheTTL    time.Duration
	ExtractConcurrency int // EXTRACT_MAX_CONCURRENT: extractions one process runs at once
	// MemoryMaxFinishedTasks caps the finished tasks memory mode keeps; 0 keeps all.
	MemoryMaxFinishedTasks int
	Webhooks               WebhookConfig
	Politeness             PolitenessConfig
	// RetentionInterval is the time between retention passes (Limits.TaskRetentionDays);
	// 0 means application.DefaultRetentionInterval. Not read from the environment: tests
	// shorten it.
	RetentionInterval time.Duration
	// EventsKeepAlive is the interval of GET /events' keep-alive comments; 0 means
	// httpapi.DefaultEventsKeepAlive (15 s). Not read from the environment: tests shorten it.
	EventsKeepAlive time.Duration
	// WorkerBeat is how often workers write heartbeat_at and progress of long-running
	// tasks; 0 means application.DefaultBeatInterval. Not read from the environment, like
	// RetentionInterval: tests shorten it.
	WorkerBeat time.Duration
}

// MinIOConfig is where artifact bytes go in services mode.
type MinIOConfig struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	Secure    bool
}

// Load reads the configuration through getenv (os.Getenv in production). Every invalid
// value is reported, each naming its variable, so one start-up shows all mistakes.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	lim := domain.DefaultLimits()
	c := Config{
		Mode:     Mode(r.str("TASKRUNNER_MODE", string(ModeMemory))),
		HTTPAddr: r.str("HTTP_ADDR", "127.0.0.1:8000"),
		LogLevel: strings.ToLower(r.str("LOG_LEVEL", "info")),

		APITokens:      r.list("API_TOKENS", nil),
		TrustedProxies: r.prefixes("TRUSTED_PROXIES"),

		DatabaseURL:      r.str("DATABASE_URL", "postgres://api:api@postgres:5432/api?sslmode=disable"),
		DatabaseMaxConns: int32(r.intRange("DATABASE_MAX_CONNS", 16, 1, 1000)),
		RedisURL:         r.str("REDIS_URL", "redis://redis:6379/0"),
		RedisPrefix:      r.str("REDIS_PREFIX", "taskrunner"),
		RedisPoolSize:    r.intRange("REDIS_POOL_SIZE", 0, 1, 10000),
		MinIO: MinIOConfig{
			Endpoint:  r.str("MINIO_ENDPOINT", "minio:9000"),
			AccessKey: r.str("MINIO_ROOT_USER", ""),
			SecretKey: r.str("MINIO_ROOT_PASSWORD", ""),
			Bucket:    r.str("MINIO_BUCKET", "artifacts"),
			Secure:    r.boolean("MINIO_SECURE", false),
		},

		Limits: domain.Limits{
			TaskMaxRuntimeSeconds: r.intRange("TASK_MAX_RUNTIME_SECONDS", lim.TaskMaxRuntimeSeconds, 1, 7*24*3600),
			TaskMaxArtifactMB:     r.intRange("TASK_MAX_ARTIFACT_MB", lim.TaskMaxArtifactMB, 1, 5*1024),
			TasksPerMinute:        r.intRange("TASKS_PER_MINUTE", lim.TasksPerMinute, 0, 1_000_000_000),
			SearchSourceAllowlist: r.list("SEARCH_SOURCE_ALLOWLIST", lim.SearchSourceAllowlist),
			SearchMaxResults:      r.intRange("SEARCH_MAX_RESULTS", lim.SearchMaxResults, 1, 100),
			FetchDomainAllowlist:  r.list("FETCH_DOMAIN_ALLOWLIST", lim.FetchDomainAllowlist),
			FetchAllowedPorts:     r.ports("FETCH_ALLOWED_PORTS", lim.FetchAllowedPorts),
			MaxBatchSize:          r.intRange("MAX_BATCH_SIZE", lim.MaxBatchSize, 1, 1000),
			TaskRetentionDays:     r.intRange("TASK_RETENTION_DAYS", lim.TaskRetentionDays, 0, domain.MaxTaskRetentionDays),
		},

		BraveAPIKey:       r.str("BRAVE_API_KEY", ""),
		BraveAPIURL:       r.httpURL("BRAVE_API_URL", "https://api.search.brave.com/res/v1/web/search"),
		ExaAPIKey:         r.str("EXA_API_KEY", ""),
		ExaAPIURL:         r.httpURL("EXA_API_URL", "https://api.exa.ai/search"),
		SearchCacheTTL:    r.seconds("SEARCH_CACHE_TTL_SECONDS", 3600, 0),
		ProviderTimeout:   r.seconds("SEARCH_PROVIDER_TIMEOUT_SECONDS", 15, 1),
		FetchCacheTTL:     r.seconds("FETCH_CACHE_TTL_SECONDS", 3600, 0),
		FetchAllowPrivate: r.boolean("FETCH_ALLOW_PRIVATE_NETWORKS", false),
		FetchUserAgent:    r.str("FETCH_USER_AGENT", "taskrunner/1.0 (+https://github.com/taskrunner/taskrunner)"),
		FetchTimeout:      r.seconds("FETCH_TIMEOUT_SECONDS", 30, 1),
		WorkerConcurrency: r.intRange("WORKER_CONCURRENCY", 16, 1, 4096),
		WorkerMetricsAddr: workerMetricsAddr(r.str("WORKER_METRICS_ADDR", DefaultWorkerMetricsAddr)),
		PprofAddr:         r.str("PPROF_ADDR", ""),
		WorkerLease:       r.seconds("WORKER_LEASE_SECONDS", 30, 1),
		RetryBaseDelay:    time.Duration(r.intRange("RETRY_BASE_DELAY_MS", 1000, 1, 3_600_000)) * time.Millisecond,
		ShutdownGrace:     r.seconds("SHUTDOWN_GRACE_SECONDS", 30, 0),
		ReconcileInterval: r.seconds("RECONCILE_INTERVAL_SECONDS", 10, 1),
		MetricsCacheTTL:   time.Duration(r.intRange("METRICS_CACHE_SECONDS", 5, 0, 3600)) * time.Second,

		MemoryMaxFinishedTasks: r.intRange("MEMORY_MAX_FINISHED_TASKS", 10000, 0, 100_000_000),
	}
	// Extraction is CPU-bound: more at once than CPUs adds memory, not throughput.
	c.ExtractConcurrency = r.intRange("EXTRACT_MAX_CONCURRENT", runtime.GOMAXPROCS(0), 1, 1024)
	switch f := strings.ToLower(r.str("LOG_FORMAT", "json")); f {
	case "json":
		c.LogJSON = true
	case "text":
	default:
		r.fail("LOG_FORMAT", "must be json or text, got %q", f)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		r.fail("LOG_LEVEL", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.Mode {
	case ModeMemory, ModeServices:
	default:
		r.fail("TASKRUNNER_MODE", "must be memory or services, got %q", c.Mode)
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		r.fail("HTTP_ADDR", "must be host:port, got %q", c.HTTPAddr)
	}
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			r.fail("PPROF_ADDR", "must be host:port, got %q", c.PprofAddr)
		}
	}
	if c.WorkerMetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.WorkerMetricsAddr); err != nil {
			r.fail("WORKER_METRICS_ADDR", "must be host:port, got %q", c.WorkerMetricsAddr)
		}
	}
	r.checkSearchSources(c.Limits.SearchSourceAllowlist)
	c.Webhooks = r.webhooks()
	c.Politeness = r.politeness()
	c.DatabaseURL = NormalizeDatabaseURL(c.DatabaseURL)
	return c, r.err()
}

// RedisPool is the Redis pool size of this process: REDIS_POOL_SIZE when set, else
// 2 × WorkerConcurrency + 16, at least 64. Every idle worker loop holds a connection in its
// blocking dequeue and a running task may briefly need a second one (its handler's cache
// call while the loop heartbeats). With fewer connections than loops, a finished task's ack
// and the next claim wait behind blocked dequeues: idle pickup latency goes from about 1 ms
// to about 70 ms (measured with 128 loops on 64 connections). Connections open only when
// used, so the cap costs nothing idle. A method rather than a Load default because
// `taskrunner worker --concurrency N` sets WorkerConcurrency after Load.
func (c Config) RedisPool() int {
	if c.RedisPoolSize > 0 {
		return c.RedisPoolSize
	}
	return max(64, 2*c.WorkerConcurrency+16)
}

// WithMode returns the config for the given mode: memory mode adds the offline "demo"
// search source to the allowlist (DESIGN.md), so search works with no keys and no network,
// and the default sources of a search follow from the mode and keys (defaultSearchSources).
func (c Config) WithMode(m Mode) Config {
	c.Mode = m
	if m == ModeMemory && !contains(c.Limits.SearchSourceAllowlist, "demo") {
		c.Limits.SearchSourceAllowlist = append(append([]string(nil), c.Limits.SearchSourceAllowlist...), "demo")
	}
	c.Limits.SearchDefaultSources = c.defaultSearchSources()
	return c
}

// NormalizeDatabaseURL accepts the predecessor's SQLAlchemy form
// (postgresql+psycopg2://...) that users' env files still carry.
func NormalizeDatabaseURL(u string) string {
	if i := strings.Index(u, "://"); i > 0 {
		scheme := u[:i]
		if j := strings.Index(scheme, "+"); j > 0 {
			u = scheme[:j] + u[i:]
		}
	}
	return u
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// reader collects one error per bad variable.
type reader struct {
	getenv func(string) string
	errs   []error
}

func (r *reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s %s", name, fmt.Sprintf(format, args...)))
}

func (r *reader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid configuration: %w", errors.Join(r.errs...))
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) intRange(name string, def, min, max int) int {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		r.fail(name, "must be a whole number from %d to %d, got %q", min, max, v)
		return def
	}
	return n
}

func (r *reader) seconds(name string, def, min int) time.Duration {
	return time.Duration(r.intRange(name, def, min, 30*24*3600)) * time.Second
}

func (r *reader) boolean(name string, def bool) bool {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "must be true or false, got %q", v)
		return def
	}
	return b
}

func (r *reader) list(name string, def []string) []string {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		r.fail(name, "must list at least one value")
		return def
	}
	return out
}

func (r *reader) httpURL(name, def string) string {
	v := r.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.fail(name, "must be an absolute http(s) URL, got %q", v)
		return def
	}
	return v
}
