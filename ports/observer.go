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
