package httpapi

import (
	"taskrunner/domain"
)

// taskOpsView are the task fields an operator watches (API.md "Operations"): where a task
// came from (retry_of), and while it runs, who holds it, when it last showed life, how far
// its handler got, and whether a cancel is on its way.
type taskOpsView struct {
	RetryOf         *string          `json:"retry_of"`
	Worker          *workerView      `json:"worker"`       // null unless running
	HeartbeatAt     *string          `json:"heartbeat_at"` // null unless running
	CancelRequested bool             `json:"cancel_requested"`
	Progress        *domain.Progress `json:"progress"`
}

// workerView is the worker process of an attempt.
type workerView struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
}

func newTaskOpsView(t domain.Task) taskOpsView {
	v := taskOpsView{RetryOf: optionalID(t.RetryOf), CancelRequested: t.CancelRequested, Progress: t.Progress}
	if w, ok := t.RunningWorker(); ok {
		v.Worker = &workerView{Host: w.Host, PID: w.PID}
		v.HeartbeatAt = formatTimePtr(t.HeartbeatAt)
	}
	return v
}

// attemptView is one entry of GET /tasks/{id}/attempts.
type attemptView struct {
	Attempt    int                   `json:"attempt"`
	Worker     workerView            `json:"worker"`
	StartedAt  string                `json:"started_at"`
	FinishedAt *string               `json:"finished_at"`
	Outcome    domain.AttemptOutcome `json:"outcome"`
	Error      *domain.Code          `json:"error"`
}

func newAttemptViews(log []domain.Attempt) []attemptView {
	out := make([]attemptView, 0, len(log))
	for _, a := range log {
		v := attemptView{Attempt: a.Number, Worker: workerView{Host: a.Worker.Host, PID: a.Worker.PID},
			StartedAt: formatTime(a.StartedAt), FinishedAt: formatTimePtr(a.FinishedAt), Outcome: a.Outcome}
		if a.Error != "" {
			code := a.Error
			v.Error = &code
		}
		out = append(out, v)
	}
	return out
}
