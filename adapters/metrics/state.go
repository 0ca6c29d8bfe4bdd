package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"taskrunner/adapters/internal/memo"
	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	tasksDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", "tasks"),
		"Tasks in the store, by type and status (read at most once per METRICS_CACHE_SECONDS).",
		[]string{"type", "status"}, nil)
	queueDepthDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", "queue_depth"),
		"Task ids waiting on the queue, ready or delayed, not counting leased ones (read at most once per METRICS_CACHE_SECONDS).",
		nil, nil)
)

// stateCollector reads task counts and queue depth through the ports: the store and the
// queue are shared by every process, so a gauge kept in memory would only know this
// process's share. Each read serves the scrapes of the next CacheTTL (see memo.Value).
type stateCollector struct {
	store   ports.TaskStore
	queue   ports.Queue
	log     *slog.Logger
	timeout time.Duration
	counts  *memo.Value[map[domain.TaskType]map[domain.Status]int64]
	depth   *memo.Value[int64]
}

func newStateCollector(cfg Config) *stateCollector {
	return &stateCollector{store: cfg.Store, queue: cfg.Queue, log: cfg.Log, timeout: cfg.ScrapeTimeout,
		counts: memo.New[map[domain.TaskType]map[domain.Status]int64](cfg.Clock, cfg.CacheTTL),
		depth:  memo.New[int64](cfg.Clock, cfg.CacheTTL)}
}

// Describe implements prometheus.Collector.
func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- tasksDesc
	ch <- queueDepthDesc
}

// Collect implements prometheus.Collector. A failed read exposes nothing for that metric
// (an absent series is honest; a zero would claim an empty system) and is logged.
func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if c.store != nil {
		c.collectTasks(ch)
	}
	if c.queue != nil {
		depth, err := c.depth.Get(func() (int64, error) {
			ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
			defer cancel()
			depth, err := c.queue.Depth(ctx)
			c.logFailure("queue_depth", err)
			return depth, err
		})
		if err == nil {
			ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(depth))
		}
	}
}

// logFailure logs a failed read once, where it happens, rather than at every scrape that
// is then served the kept failure.
func (c *stateCollector) logFailure(metric string, err error) {
	if err != nil {
		c.log.Warn("metrics_scrape_failed", "metric", metric, "error", err.Error())
	}
}

func (c *stateCollector) collectTasks(ch chan<- prometheus.Metric) {
	counts, err := c.counts.Get(func() (map[domain.TaskType]map[domain.Status]int64, error) {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel()
		counts, err := c.store.CountByTypeStatus(ctx)
		c.logFailure("tasks", err)
		return counts, err
	})
	if err != nil {
		return
	}
	// Every known (type, status) pair is exported, zeros included, so that rate() and
	// alerts see a series from the first scrape instead of one that appears later.
	emit := map[domain.TaskType]map[domain.Status]float64{}
	for _, t := range domain.KnownTaskTypes {
		emit[t] = map[domain.Status]float64{}
		for _, s := range domain.AllStatuses {
			emit[t][s] = 0
		}
	}
	for t, byStatus := range counts {
		if emit[t] == nil {
			emit[t] = map[domain.Status]float64{}
		}
		for s, n := range byStatus {
			emit[t][s] = float64(n)
		}
	}
	for t, byStatus := range emit {
		for s, n := range byStatus {
			ch <- prometheus.MustNewConstMetric(tasksDesc, prometheus.GaugeValue, n, string(t), string(s))
		}
	}
}
