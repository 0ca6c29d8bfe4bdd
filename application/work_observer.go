package application

import (
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// noWorkObserver counts nothing: the default where no metrics are wired (tests, tools).
type noWorkObserver struct{}

func (noWorkObserver) TaskRetried(domain.TaskType)                  {}
func (noWorkObserver) TaskRedelivered(domain.TaskType)              {}
func (noWorkObserver) TaskRequeued(domain.TaskType)                 {}
func (noWorkObserver) TasksInFlight(domain.TaskType, int)           {}
func (noWorkObserver) ProviderCalled(string, string, time.Duration) {}
func (noWorkObserver) PageFetched(string, int, time.Duration)       {}

// workObserverOr returns o, or the no-op observer when o is nil.
func workObserverOr(o ports.WorkObserver) ports.WorkObserver {
	if o == nil {
		return noWorkObserver{}
	}
	return o
}

// callOutcome is the outcome label of an outside call: "ok", or the error's code.
func callOutcome(err error) string {
	if err == nil {
		return "ok"
	}
	return string(taskError(err).Code)
}

// tookOver reports whether the start that produced t took the task over from another
// holder: the attempt before the one just opened was closed as lost at this very start.
func tookOver(t domain.Task) bool {
	n := len(t.AttemptLog)
	if n < 2 {
		return false
	}
	prev, cur := t.AttemptLog[n-2], t.AttemptLog[n-1]
	return prev.Outcome == domain.AttemptLost && prev.FinishedAt != nil && prev.FinishedAt.Equal(cur.StartedAt)
}
