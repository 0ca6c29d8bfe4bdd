package metrics

import (
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Namespace prefixes every taskrunner metric.
const Namespace = "taskrunner"

// defaultScrapeTimeout bounds the store and queue reads of one scrape, so a slow backing
// service makes a scrape incomplete rather than hanging Prometheus.
const defaultScrapeTimeout = 2 * time.Second

// Config holds what Metrics reads for a scrape. Store and Queue may be nil (a process that
// has neither simply does not export those gauges).
type Config struct {
	Store ports.TaskStore
	Queue ports.Queue
	// Log receives scrape failures (event metrics_scrape_failed); nil discards them.
	Log *slog.Logger
	// ScrapeTimeout bounds each store/queue read of a scrape; 0 means 2 s.
	ScrapeTimeout time.Duration
	// CacheTTL (METRICS_CACHE_SECONDS) is how long the task counts and the queue depth of
	// one read serve later scrapes: the count is a GROUP BY over the whole tasks table, too
	// dear to run for every scraper. 0 reads them at every scrape.
	CacheTTL time.Duration
	// Clock times CacheTTL; nil means the system clock.
	Clock ports.Clock
}

// Metrics owns taskrunner's Prometheus registry.
type Metrics struct {
	reg          *prometheus.Registry
	taskDuration *prometheus.HistogramVec
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	webhooks     *prometheus.CounterVec
	retention    retentionCounters
	work         *workMetrics
}

var (
	_ ports.TaskObserver    = (*Metrics)(nil)
	_ ports.RequestObserver = (*Metrics)(nil)
	_ ports.WebhookObserver = (*Metrics)(nil)
)

// New builds the registry with every taskrunner collector and the Go/process collectors.
func New(cfg Config) *Metrics {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.ScrapeTimeout <= 0 {
		cfg.ScrapeTimeout = defaultScrapeTimeout
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		taskDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace,
			Name:      "task_duration_seconds",
			Help:      "How long task attempts ran, by type and the status the attempt left the task in.",
			// 10 ms to ~11 min: from an echo to a task at the default runtime cap.
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 9),
		}, []string{"type", "status"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace,
			Name:      "http_requests_total",
			Help:      "HTTP requests served, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace,
			Name:      "http_request_duration_seconds",
			Help:      "HTTP request latency, by route template and method.",
			Buckets:   prometheus.DefBuckets,
		}, []string{"route", "method"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace,
			Name:      "webhook_attempts_total",
			Help:      "Webhook delivery attempts, by outcome: delivered, retry or failed.",
		}, []string{"outcome"}),
		retention: newRetentionCounters(),
		work:      newWorkMetrics(),
	}
	m.reg.MustRegister(m.retention.collectors()...)
	m.reg.MustRegister(m.work.collectors()...)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newStateCollector(cfg),
		m.taskDuration, m.httpRequests, m.httpDuration, m.webhooks,
	)
	return m
}

// Registry returns the registry, for components that add collectors of their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// TaskFinished records one attempt's duration (ports.TaskObserver). It never blocks.
func (m *Metrics) TaskFinished(t domain.TaskType, s domain.Status, d time.Duration) {
	m.taskDuration.WithLabelValues(string(t), string(s)).Observe(d.Seconds())
}

// RequestServed records one served request (ports.RequestObserver). r.Route is the route
// template, never the raw path, so the label set stays bounded.
func (m *Metrics) RequestServed(r ports.ServedRequest) {
	m.httpRequests.WithLabelValues(r.Route, r.Method, strconv.Itoa(r.Status)).Inc()
	m.httpDuration.WithLabelValues(r.Route, r.Method).Observe(r.Duration.Seconds())
}

// WebhookAttempted counts one webhook delivery attempt (ports.WebhookObserver).
func (m *Metrics) WebhookAttempted(outcome string, _ time.Duration) {
	m.webhooks.WithLabelValues(outcome).Inc()
}
