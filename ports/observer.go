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
