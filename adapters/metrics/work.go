package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.WorkObserver = (*Metrics)(nil)

// workMetrics are the series of ports.WorkObserver. The per-type children are cached:
// WithLabelValues hashes its labels on every call, and the worker calls these per task.
type workMetrics struct {
	retries, redeliveries, requeues *prometheus.CounterVec
	inflight                        *prometheus.GaugeVec
	providerLatency                 *prometheus.HistogramVec
	fetchLatency                    *prometheus.HistogramVec
	fetchedBytes                    prometheus.Histogram

	mu     sync.RWMutex
	byType map[domain.TaskType]*typeSeries
}

// typeSeries are one task type's children.
type typeSeries struct {
	retries, redeliveries, requeues prometheus.Counter
	inflight                        prometheus.Gauge
}

func newWorkMetrics() *workMetrics {
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help}, []string{"type"})
	}
	return &workMetrics{
		retries:      counter("task_retries_total", "Attempts that failed and left the task waiting for a retry, by type."),
		redeliveries: counter("task_redeliveries_total", "Starts that took over a task still running under another holder (lease lost), by type."),
		requeues:     counter("task_requeues_total", "Tasks the reconciler put back on the queue, by type."),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "tasks_in_flight",
			Help: "Tasks whose handler runs in this worker now, by type.",
		}, []string{"type"}),
		providerLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "search_provider_call_duration_seconds",
			Help: "Search provider call latency, by provider and outcome (ok or the error code).",
			// 50 ms to ~50 s: a fast API answer up to the provider timeout.
			Buckets: prometheus.ExponentialBuckets(0.05, 2.5, 9),
		}, []string{"provider", "outcome"}),
		fetchLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "fetch_duration_seconds",
			Help:    "Page download latency of fetch_url tasks, by outcome (ok or the error code).",
			Buckets: prometheus.ExponentialBuckets(0.05, 2.5, 9),
		}, []string{"outcome"}),
		fetchedBytes: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "fetch_body_bytes",
			Help: "Body sizes of downloaded pages; the sum is the bytes fetched.",
			// 1 KiB to 64 MiB.
			Buckets: prometheus.ExponentialBuckets(1024, 4, 9),
		}),
		byType: map[domain.TaskType]*typeSeries{},
	}
}

func (w *workMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{w.retries, w.redeliveries, w.requeues, w.inflight,
		w.providerLatency, w.fetchLatency, w.fetchedBytes}
}

// series returns t's cached children, creating them on the first call for t.
func (w *workMetrics) series(t domain.TaskType) *typeSeries {
	w.mu.RLock()
	s := w.byType[t]
	w.mu.RUnlock()
	if s != nil {
		return s
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if s = w.byType[t]; s == nil {
		l := string(t)
		s = &typeSeries{
			retries: w.retries.WithLabelValues(l), redeliveries: w.redeliveries.WithLabelValues(l),
			requeues: w.requeues.WithLabelValues(l), inflight: w.inflight.WithLabelValues(l),
		}
		w.byType[t] = s
	}
	return s
}

// TaskRetried counts a retry (ports.WorkObserver).
func (m *Metrics) TaskRetried(t domain.TaskType) { m.work.series(t).retries.Inc() }

// TaskRedelivered counts a start that took over a lost lease (ports.WorkObserver).
func (m *Metrics) TaskRedelivered(t domain.TaskType) { m.work.series(t).redeliveries.Inc() }

// TaskRequeued counts a reconciler re-queue (ports.WorkObserver).
func (m *Metrics) TaskRequeued(t domain.TaskType) { m.work.series(t).requeues.Inc() }

// TasksInFlight moves the in-flight gauge of t (ports.WorkObserver).
func (m *Metrics) TasksInFlight(t domain.TaskType, delta int) {
	m.work.series(t).inflight.Add(float64(delta))
}

// ProviderCalled observes one search provider call (ports.WorkObserver). Providers and
// error codes are both small fixed sets, so the label set stays bounded.
func (m *Metrics) ProviderCalled(provider, outcome string, d time.Duration) {
	m.work.providerLatency.WithLabelValues(provider, outcome).Observe(d.Seconds())
}

// PageFetched observes one page download (ports.WorkObserver).
func (m *Metrics) PageFetched(outcome string, bytes int, d time.Duration) {
	m.work.fetchLatency.WithLabelValues(outcome).Observe(d.Seconds())
	if outcome == "ok" {
		m.work.fetchedBytes.Observe(float64(bytes))
	}
}
