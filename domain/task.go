package domain

import (
	"encoding/json"
	"slices"
	"time"
)

// TaskType names what a task does.
type TaskType string

// The task types of API.md.
const (
	TaskEcho        TaskType = "echo"
	TaskSleep       TaskType = "sleep"
	TaskSearch      TaskType = "search"
	TaskSearchBatch TaskType = "search_batch"
	TaskFetchURL    TaskType = "fetch_url"
	TaskResearch    TaskType = "research"
)

// KnownTaskTypes lists every type of the contract, whether or not this build runs it.
var KnownTaskTypes = []TaskType{TaskEcho, TaskSleep, TaskSearch, TaskSearchBatch, TaskFetchURL, TaskResearch}

// Status is where a task stands in its life.
type Status string

// Task statuses: queued → running → succeeded | failed | cancelled. A deferred task, and a
// failed attempt waiting for its retry, is scheduled until its RunAt, then queued again.
const (
	StatusScheduled Status = "scheduled"
	StatusQueued    Status = "queued"
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusCancelled Status = "cancelled"
)

// AllStatuses lists every status, for metrics and validation.
var AllStatuses = []Status{StatusScheduled, StatusQueued, StatusRunning, StatusSucceeded, StatusFailed, StatusCancelled}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	for _, v := range AllStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// Terminal reports whether no transition leaves s.
func (s Status) Terminal() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusCancelled
}

// TaskError is the error a failed or cancelled task reports.
type TaskError struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Task is the record of one unit of work. Params and Result are JSON objects whose shape
// depends on Type.
type Task struct {
	ID             string
	Type           TaskType
	Status         Status
	Params         json.RawMessage
	Result         json.RawMessage // nil until succeeded
	Error          *TaskError
	Attempts       int
	MaxRetries     int
	TimeoutSeconds int
	IdempotencyKey string // "" when none
	ClientID       string // who submitted it (token or address); used for rate limits only
	// CancelRequested is set when a cancel arrives while the task runs; the worker that holds
	// it ends it as cancelled.
	CancelRequested bool
	// Holder is the token of the delivery that started the running attempt ("" unless
	// running). Every transition that ends an attempt names the holder it expects, so a
	// worker whose lease lapsed can never end or requeue the attempt of the worker that
	// took the task over from it.
	Holder string
	// RunAt is when the task is due: set when it was submitted for later or waits for a
	// retry (then the retry's time); nil when it was never deferred.
	RunAt *time.Time
	// Priority is 1 (highest) .. 4; a free worker takes the highest-priority ready task.
	Priority int
	// ParentID is the task that spawned this one ("" for none).
	ParentID   string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	// Callback is the webhook to call when the task is final; nil when none was asked for.
	Callback *Callback

	// ScheduleID is the schedule that fired this task; "" when a client submitted it.
	ScheduleID string

	// RetryOf is the task this one was submitted again from (POST /tasks/{id}/retry); "".
	RetryOf string
	// AttemptLog is every start of the task, oldest first (at most MaxAttemptLog), kept
	// by the transitions themselves: Start opens an entry, every transition that ends the
	// attempt closes it.
	AttemptLog []Attempt
	// HeartbeatAt is when the running attempt last showed it was alive (its start, then the
	// worker's periodic beats); Progress is what its handler last reported (nil: nothing).
	HeartbeatAt *time.Time
	Progress    *Progress
	// AwaitingChildren is set while the task waits, scheduled and without a worker, for
	// the children it spawned to end (see task_children.go).
	AwaitingChildren bool
}

// Clone returns a deep copy: nothing a caller changes through the copy (the JSON bytes, the
// error, the times behind pointers) reaches t. Stores hand out clones so a caller cannot
// edit the record behind their back; tests keep an expected value while changing another.
func (t Task) Clone() Task {
	c := t
	c.Params = slices.Clone(t.Params)
	c.Result = slices.Clone(t.Result)
	if t.Error != nil {
		e := *t.Error
		c.Error = &e
	}
	if t.StartedAt != nil {
		c.StartedAt = timePtr(*t.StartedAt)
	}
	if t.FinishedAt != nil {
		c.FinishedAt = timePtr(*t.FinishedAt)
	}
	c.Callback = t.Callback.clone()
	if t.RunAt != nil {
		c.RunAt = timePtr(*t.RunAt)
	}
	c.AttemptLog = slices.Clone(t.AttemptLog)
	for i, a := range c.AttemptLog {
		if a.FinishedAt != nil {
			c.AttemptLog[i].FinishedAt = timePtr(*a.FinishedAt)
		}
	}
	if t.HeartbeatAt != nil {
		c.HeartbeatAt = timePtr(*t.HeartbeatAt)
	}
	if t.Progress != nil {
		p := *t.Progress
		c.Progress = &p
	}
	return c
}

// Timeout is the task's runtime limit as a duration.
func (t *Task) Timeout() time.Duration { return time.Duration(t.TimeoutSeconds) * time.Second }

// RetriesLeft reports whether a transient failure of the current attempt may be retried.
// Attempts counts started attempts, so the first run has Attempts == 1.
func (t *Task) RetriesLeft() bool { return t.Attempts <= t.MaxRetries }

func conflict(t *Task, action string) error {
	return NewError(CodeTaskAlreadyFinished, "cannot %s task %s: it is %s", action, t.ID, t.Status).WithCause(ErrConflict)
}

// Start moves a queued (or due scheduled) task to running, held by the delivery whose token
// is holder, and counts the attempt. The queue delivers a scheduled task only once its
// RunAt has come, so a scheduled task handed to a worker is due. A task already running is one whose previous holder lost its lease
// (the queue only redelivers after expiry), so it is started again and the new holder
// replaces the old one. Terminal tasks return ErrConflict: the delivery is a duplicate.
func (t *Task) Start(holder string, now time.Time) error {
	return t.StartBy(holder, WorkerID{}, now)
}

// StartBy is Start by the named worker process: the attempt log's new entry names it
// (and an attempt a vanished worker left open is closed as lost); the heartbeat starts
// now and the previous attempt's progress is cleared.
func (t *Task) StartBy(holder string, worker WorkerID, now time.Time) error {
	if !startable(t.Status) {
		return conflict(t, "start")
	}
	t.Status = StatusRunning
	t.Holder = holder
	t.Attempts++
	t.StartedAt = timePtr(now)
	t.UpdatedAt = now
	t.HeartbeatAt = timePtr(now)
	t.Progress = nil
	t.openAttempt(worker, now)
	return nil
}

// Succeed ends a running task with its result.
func (t *Task) Succeed(result json.RawMessage, now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "complete")
	}
	t.Status = StatusSucceeded
	t.Result = result
	t.Error = nil
	t.closeAttempt(AttemptSucceeded, "", now)
	t.finish(now)
	return nil
}

// Fail ends a running task with an error.
func (t *Task) Fail(e TaskError, now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "fail")
	}
	t.Status = StatusFailed
	t.Error = &e
	t.closeAttempt(AttemptFailed, e.Code, now)
	t.finish(now)
	return nil
}

// Requeue puts a running task back on the queue: for a retry due now (lastErr set, shown
// to clients while the task waits) or a hand-back at shutdown (lastErr nil, the attempt is
// not counted). A retry that waits for a backoff is ScheduleRetry.
func (t *Task) Requeue(lastErr *TaskError, now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "requeue")
	}
	t.Status = StatusQueued
	t.Holder = ""
	if lastErr == nil {
		t.Attempts--
		t.closeAttempt(AttemptHandedBack, "", now)
	} else {
		t.Error = lastErr
		t.closeAttempt(AttemptRetried, lastErr.Code, now)
	}
	t.UpdatedAt = now
	return nil
}

// ScheduleRetry ends a failed attempt of a running task that will be retried at at: the
// task waits as scheduled with RunAt = at, so a client sees when it runs again, and shows
// lastErr meanwhile.
func (t *Task) ScheduleRetry(lastErr TaskError, at, now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "retry")
	}
	t.Status = StatusScheduled
	t.Holder = ""
	t.Error = &lastErr
	t.closeAttempt(AttemptRetried, lastErr.Code, now)
	t.RunAt = timePtr(at)
	t.UpdatedAt = now
	return nil
}

// Cancel ends a queued or scheduled task at once (its queue entry is skipped when it is
// delivered); for a running task it records the request (the worker
// holding it ends it) and reports running=true. A finished task returns
// task_already_finished.
func (t *Task) Cancel(now time.Time) (running bool, err error) {
	switch t.Status {
	case StatusQueued, StatusScheduled:
		t.Status = StatusCancelled
		t.Error = &TaskError{Code: CodeTaskCancelled, Message: "cancelled before it started"}
		t.finish(now)
		return false, nil
	case StatusRunning:
		t.CancelRequested = true
		t.UpdatedAt = now
		return true, nil
	default:
		return false, conflict(t, "cancel")
	}
}

// MarkCancelled ends a running task whose cancellation the worker has carried out.
func (t *Task) MarkCancelled(now time.Time) error {
	if t.Status != StatusRunning {
		return conflict(t, "cancel")
	}
	t.Status = StatusCancelled
	t.Error = &TaskError{Code: CodeTaskCancelled, Message: "cancelled while running"}
	t.closeAttempt(AttemptCancelled, CodeTaskCancelled, now)
	t.finish(now)
	return nil
}

// HeldBy reports nil when the task is running under the delivery holder, and an error
// matching ErrConflict otherwise: the attempt of that delivery is over (finished, handed
// back, or taken over by another worker after its lease lapsed), so it may change nothing.
func (t *Task) HeldBy(holder string) error {
	if t.Status != StatusRunning {
		return conflict(t, "finish")
	}
	if t.Holder != holder {
		return NewError(CodeTaskAlreadyFinished,
			"task %s is held by another delivery: this attempt's lease lapsed", t.ID).WithCause(ErrConflict)
	}
	return nil
}

func (t *Task) finish(now time.Time) {
	t.Holder = ""
	t.AwaitingChildren = false
	t.FinishedAt = timePtr(now)
	t.UpdatedAt = now
	// The duty to deliver is written with the final state, in the same record: the outbox.
	if t.Callback != nil && t.Callback.Status == CallbackPending && t.Callback.NextAt == nil {
		t.Callback.NextAt = timePtr(now)
	}
}

func timePtr(t time.Time) *time.Time { return &t }

// TaskFilter selects tasks for listing, newest first.
type TaskFilter struct {
	Status Status   // "" for any
	Type   TaskType // "" for any
	// ParentID keeps only the children of that task ("" for any).
	ParentID string
	Limit    int // 1..500
	// After is the id of the last task of the previous page ("" for the first page); tasks
	// are ordered by id descending, and ids are time-ordered (UUIDv7).
	After string
	// ScheduleID selects the tasks one schedule fired; "" for any.
	ScheduleID string
	// Statuses and Types keep only tasks whose status (type) is one of them; empty for
	// any. They narrow together with Status and Type (a task must pass every filter set).
	Statuses []Status
	Types    []TaskType
	// CreatedAfter and CreatedBefore keep only tasks created strictly after (before) that
	// instant; the zero time for no bound.
	CreatedAfter  time.Time
	CreatedBefore time.Time
}

// TaskPage is one page of a listing. NextAfter is the id of its last task, to pass as the
// next TaskFilter.After, when more may follow; "" on the last page. (The HTTP API wraps it
// in an opaque cursor; that encoding is the API's, not the domain's.)
type TaskPage struct {
	Tasks     []Task
	NextAfter string
}

// StaleQuery selects tasks that have sat in one status since before a cutoff, ordered by
// (UpdatedAt, ID) ascending, one keyset page at a time.
type StaleQuery struct {
	Status        Status
	UpdatedBefore time.Time
	Limit         int
	// After is where the previous page ended: only tasks strictly after it in (UpdatedAt,
	// ID) order are returned. The zero cursor starts from the oldest.
	After StaleCursor
}

// StaleCursor is a position in the (UpdatedAt, ID) order of stale tasks. A zero UpdatedAt
// is before every task whatever the ID; an empty ID sorts before every id, so
// StaleCursor{UpdatedAt: at} still includes the tasks updated exactly at at.
type StaleCursor struct {
	UpdatedAt time.Time
	ID        string
}

// StaleCursorAt is the cursor just past t: the next page starts after it.
func StaleCursorAt(t Task) StaleCursor { return StaleCursor{UpdatedAt: t.UpdatedAt, ID: t.ID} }

// IsZero reports whether c is the start of the order.
func (c StaleCursor) IsZero() bool { return c.UpdatedAt.IsZero() }

// Precedes reports whether c comes before t in (UpdatedAt, ID) order, that is whether a
// page after c may hold t.
func (c StaleCursor) Precedes(t Task) bool {
	if c.IsZero() {
		return true
	}
	if d := c.UpdatedAt.Compare(t.UpdatedAt); d != 0 {
		return d < 0
	}
	return c.ID < t.ID
}
