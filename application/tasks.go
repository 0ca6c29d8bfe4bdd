package application

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"taskrunner/domain"
	"taskrunner/ports"
)

// List limits of API.md.
const (
	defaultListLimit = 50
	maxListLimit     = 500
)

// SubmitInput is a task submission as the API received it.
type SubmitInput struct {
	Type           string
	Params         json.RawMessage
	TimeoutSeconds *int
	MaxRetries     *int
	IdempotencyKey string
	// IdempotencyScope keeps callers' keys apart: the token's identity when auth is on, so
	// two tokens that happen to pick the same key get a task each instead of one getting
	// the other's; "" when auth is off. It is a namespace, not an access boundary: every
	// token may read, list and cancel every task (API_TOKENS form one trust domain).
	IdempotencyScope string
	ClientID         string // rate-limit identity: the token when auth is on, else the address
	CallbackURL      string // "" for none; else the webhook for the final state
	// RunAt (RFC 3339, "" for none) or DelaySeconds (nil for none) defer the task; see
	// domain.ResolveRunAt.
	RunAt        string
	DelaySeconds *int
	Priority     *int // nil: domain.DefaultPriority
	// ScheduleID is set by the scheduler on the tasks a schedule fires; clients cannot set it.
	ScheduleID string
}

// TaskDeps are the ports the task service needs.
type TaskDeps struct {
	Store    ports.TaskStore
	Queue    ports.Queue
	Limiter  ports.RateLimiter
	Signals  ports.CancelSignals
	Clock    ports.Clock
	IDs      *domain.IDGenerator
	Handlers Handlers
	Limits   domain.Limits
	Log      *slog.Logger
	// Batch and BatchQueue write a POST /tasks/batch in one statement and one push; with
	// GroupCommit set they also group-commit concurrent single submits (tasks_commit.go),
	// which pays where a write is a round trip (services mode) and only costs hand-offs
	// where it is not (memory mode). Without GroupCommit each submit is its own write.
	Batch       ports.TaskBatchStore
	BatchQueue  ports.BatchQueue
	GroupCommit bool
	// CallbackDue is told when a cancel made a task with a callback final (the
	// deliverer's Nudge); nil when this process delivers none.
	CallbackDue func()
	// FanIn carries a parent's cancel to its children and wakes a parent whose last child
	// a cancel ended; nil when no handler spawns children.
	FanIn *FanIn
}

// TaskService is the API side of tasks: submit, read, list, cancel.
type TaskService struct {
	deps   TaskDeps
	commit *groupCommit[domain.Task, submitted] // nil: unbatched
}

// NewTaskService returns the service, or an error naming a missing dependency.
func NewTaskService(d TaskDeps) (*TaskService, error) {
	if d.Store == nil || d.Queue == nil || d.Limiter == nil || d.Signals == nil || d.Clock == nil || d.IDs == nil || d.Log == nil {
		return nil, errors.New("application: task service needs Store, Queue, Limiter, Signals, Clock, IDs and Log")
	}
	s := &TaskService{deps: d}
	s.commit = batchSubmits(d, s.flushSubmits)
	return s, nil
}

// Submit validates a task, applies the client's rate limit, records it as queued and puts
// its id on the queue. created is false when an idempotency key matched an earlier task,
// which is returned instead. Validation happens before anything is written, so a rejected
// submission leaves no record. A known key with a different request is
// idempotency_key_conflict (see replay). A replay of a known key creates nothing, so it takes no
// slot of the rate limit (and is answered even when the client has none left): a client
// retrying after a lost response must get its task, not a 429.
func (s *TaskService) Submit(ctx context.Context, in SubmitInput) (domain.Task, bool, error) {
	return s.submit(ctx, in, true)
}

// submit is Submit, with the client's rate limit applied only when metered: the tasks a
// schedule fires are the operator's plan, not a client's burst.
func (s *TaskService) submit(ctx context.Context, in SubmitInput, metered bool) (domain.Task, bool, error) {
	t, err := s.prepare(in)
	if err != nil {
		return domain.Task{}, false, err
	}
	if t.IdempotencyKey != "" {
		prior, err := s.deps.Store.GetByIdempotencyKey(ctx, t.IdempotencyKey)
		if err == nil {
			return replay(prior, t)
		}
		if !errors.Is(err, domain.ErrNotFound) {
			return domain.Task{}, false, err
		}
	}
	if metered {
		if err := s.allow(ctx, in.ClientID, 1); err != nil {
			return domain.Task{}, false, err
		}
	}
	stored, created, err := s.create(ctx, t)
	if err != nil {
		return domain.Task{}, false, err
	}
	if !created { // a concurrent submit took the key since the lookup above
		return replay(stored, t)
	}
	// Debug: one line per task is a real share of the hot path's CPU at thousands a second.
	s.deps.Log.DebugContext(ctx, "task_submitted", "task_id", stored.ID, "type", string(stored.Type))
	return stored, true, nil
}

func (s *TaskService) prepare(in SubmitInput) (domain.Task, error) {
	typ := domain.TaskType(in.Type)
	if in.Type == "" {
		return domain.Task{}, domain.InvalidRequest("type", "type is required")
	}
	if !isKnownType(typ) {
		return domain.Task{}, domain.InvalidRequest("type", "unknown task type %q", in.Type)
	}
	h, ok := s.deps.Handlers[typ]
	if !ok {
		return domain.Task{}, domain.InvalidParams("type", "task type %q is not available in this build", in.Type)
	}
	params, err := objectOrEmpty(in.Params, "params")
	if err != nil {
		return domain.Task{}, err
	}
	// Before the handler's own checks, so a NUL is named as such whatever the type.
	if err := domain.CheckJSONText("params", params); err != nil {
		return domain.Task{}, err
	}
	params, err = h.Validate(params, s.deps.Limits)
	if err != nil {
		return domain.Task{}, err
	}
	timeout, err := s.deps.Limits.ResolveTimeout(in.TimeoutSeconds)
	if err != nil {
		return domain.Task{}, err
	}
	retries, err := domain.ResolveMaxRetries(in.MaxRetries)
	if err != nil {
		return domain.Task{}, err
	}
	if len(in.IdempotencyKey) > domain.MaxIdempotencyKeyLen {
		return domain.Task{}, domain.InvalidParams("idempotency_key", "idempotency_key may be at most %d characters", domain.MaxIdempotencyKeyLen)
	}
	if err := domain.CheckText("idempotency_key", in.IdempotencyKey); err != nil {
		return domain.Task{}, err
	}
	var callback *domain.Callback
	if in.CallbackURL != "" {
		u, err := domain.ParseCallbackURL(in.CallbackURL)
		if err != nil {
			return domain.Task{}, err
		}
		callback = domain.NewCallback(u)
	}
	priority, err := domain.ResolvePriority(in.Priority)
	if err != nil {
		return domain.Task{}, err
	}
	now := s.deps.Clock.Now()
	runAt, err := domain.ResolveRunAt(in.RunAt, in.DelaySeconds, now)
	if err != nil {
		return domain.Task{}, err
	}
	status := domain.StatusQueued
	if runAt != nil {
		status = domain.StatusScheduled
	}
	return domain.Task{
		ID:             s.deps.IDs.New(now),
		Type:           typ,
		Status:         status,
		Params:         params,
		MaxRetries:     retries,
		TimeoutSeconds: timeout,
		IdempotencyKey: scopedKey(in.IdempotencyScope, in.IdempotencyKey),
		ClientID:       in.ClientID,
		RunAt:          runAt,
		Priority:       priority,
		ScheduleID:     in.ScheduleID,
		CreatedAt:      now,
		UpdatedAt:      now,
		Callback:       callback,
	}, nil
}

// allow takes n slots of the client's task limit, all or none: single and batch submits
// share one bucket.
func (s *TaskService) allow(ctx context.Context, client string, n int) error {
	return takeSlots(ctx, s.deps.Limiter, "enqueue:"+client, "tasks", s.deps.Limits.TasksPerMinute, n)
}

// Get returns a task or task_not_found.
func (s *TaskService) Get(ctx context.Context, id string) (domain.Task, error) {
	if !domain.ValidID(id) {
		return domain.Task{}, taskNotFound(id)
	}
	t, err := s.deps.Store.Get(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Task{}, taskNotFound(id)
	}
	return t, err
}

// Cancel cancels a queued or scheduled task at once; a running task is flagged and every worker is told,
// and the task is returned still running while the holder winds it down.
func (s *TaskService) Cancel(ctx context.Context, id string) (domain.Task, error) {
	if !domain.ValidID(id) {
		return domain.Task{}, taskNotFound(id)
	}
	var running bool
	t, err := s.deps.Store.Update(ctx, id, func(t *domain.Task) error {
		var err error
		running, err = t.Cancel(s.deps.Clock.Now())
		return err
	})
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Task{}, taskNotFound(id)
	}
	if err != nil {
		return domain.Task{}, err
	}
	if t.Callback.Due() && s.deps.CallbackDue != nil {
		s.deps.CallbackDue()
	}
	if running {
		if err := s.deps.Signals.Publish(ctx, id); err != nil {
			// The flag on the record still reaches the worker at its next heartbeat.
			s.deps.Log.WarnContext(ctx, "cancel_signal_failed", "task_id", id, "error", err.Error())
		}
	}
	s.deps.Log.InfoContext(ctx, "task_cancel_requested", "task_id", id, "was_running", running)
	if running && t.Type.SpawnsChildren() && s.deps.FanIn != nil {
		// Children made so far stop now, not only once the parent's worker winds down.
		if err := s.deps.FanIn.CancelChildren(ctx, id); err != nil {
			s.deps.Log.WarnContext(ctx, "children_cancel_failed", "task_id", id, "error", err.Error())
		}
	}
	s.deps.FanIn.Ended(ctx, t)
	return t, nil
}

// replay answers a submit whose idempotency key an earlier task holds: with that task
// when the request is the same, else idempotency_key_conflict (domain.SameRequest). The
// tasks a schedule fires are keyed by due time: whatever task holds a slot's key is that
// slot's, even when the schedule's request changed in between.
func replay(prior, t domain.Task) (domain.Task, bool, error) {
	if t.ScheduleID == "" && !domain.SameRequest(&prior, &t) {
		return domain.Task{}, false, domain.IdempotencyConflict(&prior)
	}
	return prior, false, nil
}

// scopedKey is the stored idempotency key: the caller's key within its scope. The
// separator cannot occur in a scope, so two scopes never produce the same stored key.
func scopedKey(scope, key string) string {
	if key == "" || scope == "" {
		return key
	}
	return scope + "\x1f" + key
}

func isKnownType(t domain.TaskType) bool {
	for _, k := range domain.KnownTaskTypes {
		if k == t {
			return true
		}
	}
	return false
}
