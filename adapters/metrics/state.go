package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	tasksDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", "tasks"),
		"Tasks in the store, by type and status (read at scrape time).",
		[]string{"type", "status"}, nil)
	queueDepthDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", "queue_depth"),
		"Task ids waiting on the queue, ready or delayed, not counting leased ones (read at scrape time).",
		nil, nil)
)

// stateCollector reads task counts and queue depth through the ports at scrape time: the
// store and the queue are shared by every process, so a gauge kept in memory would only
// know this process's share.
type stateCollector struct {
	store   ports.TaskStore
	queue   ports.Queue
	log     *slog.Logger
	timeout time.Duration
}

func newStateCollector(cfg Config) *stateCollector {
	return &stateCollector{store: cfg.Store, queue: cfg.Queue, log: cfg.Log, timeout: cfg.ScrapeTimeout}
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
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		depth, err := c.queue.Depth(ctx)
		cancel()
		if err != nil {
			c.log.Warn("metrics_scrape_failed", "metric", "queue_depth", "error", err.Error())
		} else {
			ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(depth))
		}
	}
}

func (c *stateCollector) collectTasks(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	counts, err := c.store.CountByTypeStatus(ctx)
	cancel()
	if err != nil {
		c.log.Warn("metrics_scrape_failed", "metric", "tasks", "error", err.Error())
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
