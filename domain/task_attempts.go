package domain

import (
	"fmt"
	"slices"
	"time"
)

// WorkerID names the process that runs an attempt: its host name and process id, set once
// when the worker process starts. The zero value is an unnamed worker (tests, tools).
type WorkerID struct {
	Host string `json:"host"`
	PID  int    `json:"pid"`
}

// String is "host/pid", the form logs use.
func (w WorkerID) String() string { return fmt.Sprintf("%s/%d", w.Host, w.PID) }

// AttemptOutcome is how one attempt of a task ended.
type AttemptOutcome string

// Attempt outcomes. An attempt that has not ended is running; one whose worker vanished
// (its lease lapsed and another worker started the task again) is lost.
const (
	AttemptRunning    AttemptOutcome = "running"
	AttemptSucceeded  AttemptOutcome = "succeeded"
	AttemptFailed     AttemptOutcome = "failed"
	AttemptRetried    AttemptOutcome = "retried"     // failed, and the task waits for a retry
	AttemptCancelled  AttemptOutcome = "cancelled"   // the worker carried out a cancel
	AttemptHandedBack AttemptOutcome = "handed_back" // the worker shut down; not counted
	AttemptLost       AttemptOutcome = "lost"        // the worker vanished mid-attempt
	// AttemptDeferred: the handler asked to run later (a host's turn, robots.txt out of
	// reach); AttemptAwaitingChildren: the task parked until its children end. Neither
	// is counted.
	AttemptDeferred         AttemptOutcome = "deferred"
	AttemptAwaitingChildren AttemptOutcome = "awaiting_children"
)

// Attempt is one entry of a task's attempt log: every start of the task, in order. The
// JSON tags are the stored form (the PostgreSQL store keeps the log as jsonb and writes a
// start's entry in SQL with these very keys).
type Attempt struct {
	Number     int            `json:"attempt"`
	Worker     WorkerID       `json:"worker"`
	StartedAt  time.Time      `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at"`
	Outcome    AttemptOutcome `json:"outcome"`
	// Error is the code of the failure that ended the attempt; "" when none.
	Error Code `json:"error"`
}

// MaxAttemptLog bounds the attempt log kept on a task: the most starts a task can ever see
// counted (MaxStarts with the highest retry count, plus the start that finds the allowance
// spent), and a little room for uncounted hand-backs at shutdown. Past it the oldest
// entries go: the log stays small enough to ride along every write of the row.
const MaxAttemptLog = MaxRetriesLimit + 1 + LostLeaseAllowance + 2

// Progress is what a running handler last said about how far it got.
type Progress struct {
	Done    int64  `json:"done"`
	Total   int64  `json:"total"`
	Message string `json:"message"`
}

// openAttempt appends the attempt a start begins; an attempt still open from an earlier
// start is closed first as lost: its worker's lease lapsed (the queue only redelivers a
// task after that) and this start takes the task over.
func (t *Task) openAttempt(worker WorkerID, now time.Time) {
	t.closeAttempt(AttemptLost, "", now)
	t.AttemptLog = append(t.AttemptLog, Attempt{Number: t.Attempts, Worker: worker, StartedAt: now, Outcome: AttemptRunning})
	if n := len(t.AttemptLog); n > MaxAttemptLog {
		t.AttemptLog = slices.Clone(t.AttemptLog[n-MaxAttemptLog:])
	}
}

// closeAttempt ends the open attempt, if any, with the outcome.
func (t *Task) closeAttempt(outcome AttemptOutcome, code Code, now time.Time) {
	n := len(t.AttemptLog)
	if n == 0 || t.AttemptLog[n-1].FinishedAt != nil {
		return
	}
	t.AttemptLog = slices.Clone(t.AttemptLog) // a clone of the task may share the array
	last := &t.AttemptLog[n-1]
	last.FinishedAt = timePtr(now)
	last.Outcome = outcome
	last.Error = code
}

// RunningWorker is the worker of the attempt under way, and whether there is one.
func (t *Task) RunningWorker() (WorkerID, bool) {
	n := len(t.AttemptLog)
	if t.Status != StatusRunning || n == 0 || t.AttemptLog[n-1].FinishedAt != nil {
		return WorkerID{}, false
	}
	return t.AttemptLog[n-1].Worker, true
}

// Beat records that the holder's attempt is alive at now, with the progress its handler
// last reported (nil keeps what is recorded). It is no transition: UpdatedAt stays, so
// the version a worker saw at its start still matches when it finishes.
func (t *Task) Beat(holder string, p *Progress, now time.Time) error {
	if err := t.HeldBy(holder); err != nil {
		return err
	}
	t.HeartbeatAt = timePtr(now)
	if p != nil {
		c := *p
		t.Progress = &c
	}
	return nil
}

// Retryable reports whether a client may submit t again as a new task: only a task that
// ended without success (failed or cancelled).
func (t *Task) Retryable() error {
	if t.Status == StatusFailed || t.Status == StatusCancelled {
		return nil
	}
	return NewError(CodeTaskNotRetryable, "task %s is %s: only a failed or cancelled task can be retried", t.ID, t.Status).
		WithCause(ErrConflict)
}

// Deletable reports whether t may be deleted: only a final task.
func (t *Task) Deletable() error {
	if t.Status.Terminal() {
		return nil
	}
	return NewError(CodeTaskNotFinished, "task %s is %s: only a finished task can be deleted; cancel it first", t.ID, t.Status).
		WithCause(ErrConflict)
}
