package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"taskrunner/ports"
)

var _ ports.RetentionObserver = (*Metrics)(nil)

// retentionCounters count what retention (TASK_RETENTION_DAYS) removed, in this process.
type retentionCounters struct {
	tasks, artifacts, blobs prometheus.Counter
}

func newRetentionCounters() retentionCounters {
	counter := func(what, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "retention", Name: what + "_removed_total", Help: help,
		})
	}
	return retentionCounters{
		tasks:     counter("tasks", "Finished tasks deleted by retention (TASK_RETENTION_DAYS)."),
		artifacts: counter("artifacts", "Artifact metadata rows deleted with those tasks."),
		blobs:     counter("blobs", "Blobs deleted from the blob store because their last artifact went."),
	}
}

func (c retentionCounters) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.tasks, c.artifacts, c.blobs}
}

// RetentionRemoved adds to the retention counters (ports.RetentionObserver).
func (m *Metrics) RetentionRemoved(tasks, artifacts, blobs int) {
	m.retention.tasks.Add(float64(tasks))
	m.retention.artifacts.Add(float64(artifacts))
	m.retention.blobs.Add(float64(blobs))
}
