package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"taskrunner/ports"
)

var _ ports.TaskEventObserver = (*TaskEventCounter)(nil)

// TaskEventCounter counts task events that were never published on the task-change feed
// (its queue was full, or the publish failed). It stands apart from Metrics, which reads
// the task store, because the task store's decorators depend on it; Register adds it to
// the registry once both exist.
type TaskEventCounter struct{ dropped prometheus.Counter }

// NewTaskEventCounter returns an unregistered counter.
func NewTaskEventCounter() *TaskEventCounter {
	return &TaskEventCounter{dropped: prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Subsystem: "task_events", Name: "dropped_total",
		Help: "Task change events never published on the task-change feed (queue full or publish failed).",
	})}
}

// Register adds the counter to m's registry.
func (c *TaskEventCounter) Register(m *Metrics) { m.reg.MustRegister(c.dropped) }

// TaskEventsDropped implements ports.TaskEventObserver.
func (c *TaskEventCounter) TaskEventsDropped(n int) { c.dropped.Add(float64(n)) }
