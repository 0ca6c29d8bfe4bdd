package ports

import (
	"time"

	"taskrunner/domain"
)

// TaskObserver is told about finished task attempts, for metrics. It must not block.
type TaskObserver interface {
	// TaskFinished reports one attempt's outcome (the status it left the task in) and how
	// long the handler ran.
	TaskFinished(t domain.TaskType, s domain.Status, d time.Duration)
}

// RequestObserver is told about every request the HTTP API served, for metrics. It is a
// port rather than the metrics adapter itself so that the HTTP adapter depends on no other
// adapter: bootstrap hands in whatever records requests. It must not block: it runs on the
// request's path.
type RequestObserver interface {
	// RequestServed reports one answered request, panics and unmatched paths included.
	RequestServed(r ServedRequest)
}

// ServedRequest describes one answered HTTP request.
type ServedRequest struct {
	// Route is the route template that served the request ("/tasks/:id"), never the raw
	// path, so that a label set built from it stays bounded; "unmatched" when no route did.
	Route  string
	Method string
	Status int
	// Duration is how long the request took to answer.
	Duration time.Duration
}

// WorkObserver is told about the work behind the task outcomes, for metrics: retries,
// redeliveries, the reconciler's re-queues, the tasks in flight, and the outside calls
// (search providers, page fetches) handlers make. Every method must be cheap and must
// not block: the worker's calls sit on the task's path.
type WorkObserver interface {
	// TaskRetried: an attempt failed and the task waits for a retry.
	TaskRetried(t domain.TaskType)
	// TaskRedelivered: a start found the task running under another holder (that
	// holder's lease was lost; its attempt is logged as lost).
	TaskRedelivered(t domain.TaskType)
	// TaskRequeued: the reconciler put a task it found missing from the queue back.
	TaskRequeued(t domain.TaskType)
	// TasksInFlight adds delta (+1 at a run's start, -1 at its end) to the tasks of the
	// type this worker runs.
	TasksInFlight(t domain.TaskType, delta int)
	// ProviderCalled reports one search provider call: outcome is "ok" or the error code.
	ProviderCalled(provider, outcome string, d time.Duration)
	// PageFetched reports one page download: outcome is "ok" or the error code; bytes is
	// the body length read (0 on failure).
	PageFetched(outcome string, bytes int, d time.Duration)
}
