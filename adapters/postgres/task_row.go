package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"taskrunner/domain"
)

// taskColumns is the column order shared by every statement that reads or writes a whole
// task; taskRow.dest and taskArgs follow it.
var taskColumns = []string{
	"id", "type", "status", "params", "result", "error", "attempts", "max_retries",
	"timeout_seconds", "idempotency_key", "client_id", "cancel_requested", "holder",
	"created_at", "updated_at", "started_at", "finished_at",
	// The webhook outbox (migration 0009): all NULL for a task without callback_url.
	"callback_url", "callback_status", "callback_attempts", "callback_last_error", "callback_next_at",
	"run_at", "priority", "parent_id",
	"schedule_id",
	// Operations (migration 0011): all NULL for a task that has none.
	"retry_of", "attempt_log", "heartbeat_at", "progress",
	"awaiting_children",
}

// taskColumnTypes are the SQL types of taskColumns, in the same order: the batch
// statements pass each column as one typed array (see taskArrays).
var taskColumnTypes = []string{
	"uuid", "text", "text", "jsonb", "jsonb", "jsonb", "integer", "integer",
	"integer", "text", "text", "boolean", "text",
	"timestamptz", "timestamptz", "timestamptz", "timestamptz",
	"text", "text", "integer", "text", "timestamptz",
	"timestamptz", "smallint", "uuid",
	"uuid",
	"uuid", "jsonb", "timestamptz", "jsonb",
	"boolean",
}

// taskRow is a tasks row as pgx scans it; task() maps it to the domain.
type taskRow struct {
	id, typ, status         string
	params, result, errJSON []byte
	attempts, maxRetries    int32
	timeoutSeconds          int32
	idempotencyKey          *string
	clientID                string
	cancelRequested         bool
	holder                  string
	createdAt, updatedAt    time.Time
	startedAt, finishedAt   *time.Time
	callback                callbackCols
	runAt                   *time.Time
	priority                int16
	parentID                *string
	scheduleID              *string
	ops                     opsCols
	awaitingChildren        bool
}

func (r *taskRow) dest() []any {
	return []any{
		&r.id, &r.typ, &r.status, &r.params, &r.result, &r.errJSON, &r.attempts, &r.maxRetries,
		&r.timeoutSeconds, &r.idempotencyKey, &r.clientID, &r.cancelRequested, &r.holder,
		&r.createdAt, &r.updatedAt, &r.startedAt, &r.finishedAt,
		&r.callback.url, &r.callback.status, &r.callback.attempts, &r.callback.lastError, &r.callback.nextAt,
		&r.runAt, &r.priority, &r.parentID,
		&r.scheduleID,
		&r.ops.retryOf, &r.ops.attemptLog, &r.ops.heartbeatAt, &r.ops.progress,
		&r.awaitingChildren,
	}
}

func (r *taskRow) task() (domain.Task, error) {
	t := domain.Task{
		ID:              r.id,
		Type:            domain.TaskType(r.typ),
		Status:          domain.Status(r.status),
		Params:          compactJSON(r.params),
		Result:          compactJSON(r.result),
		Attempts:        int(r.attempts),
		MaxRetries:      int(r.maxRetries),
		TimeoutSeconds:  int(r.timeoutSeconds),
		ClientID:        r.clientID,
		CancelRequested: r.cancelRequested,
		Holder:          r.holder,
		CreatedAt:       r.createdAt.UTC(),
		UpdatedAt:       r.updatedAt.UTC(),
		StartedAt:       utcPtr(r.startedAt),
		FinishedAt:      utcPtr(r.finishedAt),
		Callback:        r.callback.domain(),
		RunAt:           utcPtr(r.runAt),
		Priority:        int(r.priority),
		// Migration 0012: a parent parked until its children end.
		AwaitingChildren: r.awaitingChildren,
	}
	if r.parentID != nil {
		t.ParentID = *r.parentID
	}
	if r.idempotencyKey != nil {
		t.IdempotencyKey = *r.idempotencyKey
	}
	if r.scheduleID != nil {
		t.ScheduleID = *r.scheduleID
	}
	if r.errJSON != nil {
		var e domain.TaskError
		if err := json.Unmarshal(r.errJSON, &e); err != nil {
			return domain.Task{}, fmt.Errorf("postgres: task %s: decode error column: %w", r.id, err)
		}
		t.Error = &e
	}
	if err := r.ops.fill(&t); err != nil {
		return domain.Task{}, err
	}
	return t, nil
}

// taskArgs are t's values in taskColumns order.
func taskArgs(t *domain.Task) ([]any, error) {
	errJSON, err := errorColumn(t)
	if err != nil {
		return nil, err
	}
	cb := newCallbackCols(t.Callback)
	ops, err := newOpsCols(t)
	if err != nil {
		return nil, err
	}
	return []any{
		t.ID, string(t.Type), string(t.Status), jsonArg(t.Params), jsonArg(t.Result), jsonArg(errJSON),
		t.Attempts, t.MaxRetries, t.TimeoutSeconds, keyColumn(t), t.ClientID, t.CancelRequested, t.Holder,
		t.CreatedAt, t.UpdatedAt, t.StartedAt, t.FinishedAt,
		cb.url, cb.status, cb.attempts, cb.lastError, cb.nextAt,
		t.RunAt, t.Priority, parentColumn(t),
		scheduleColumn(t),
		ops.retryOf, jsonArg(ops.attemptLog), ops.heartbeatAt, jsonArg(ops.progress),
		t.AwaitingChildren,
	}, nil
}

// parentColumn is t's parent id, or nil (NULL) when it has none.
func parentColumn(t *domain.Task) *string {
	if t.ParentID == "" {
		return nil
	}
	return &t.ParentID
}

// errorColumn is t.Error as the error column stores it: JSON, or nil for NULL.
func errorColumn(t *domain.Task) ([]byte, error) {
	if t.Error == nil {
		return nil, nil
	}
	b, err := json.Marshal(t.Error)
	if err != nil {
		return nil, fmt.Errorf("postgres: task %s: encode error: %w", t.ID, err)
	}
	return b, nil
}

// keyColumn is t's idempotency key, or nil (NULL, which never collides) when it has none.
func keyColumn(t *domain.Task) *string {
	if t.IdempotencyKey == "" {
		return nil
	}
	return &t.IdempotencyKey
}

// scheduleColumn is t's schedule id, or nil (NULL) for a task no schedule fired.
func scheduleColumn(t *domain.Task) *string {
	if t.ScheduleID == "" {
		return nil
	}
	return &t.ScheduleID
}

// jsonArg passes JSON bytes to a jsonb parameter; nil is SQL NULL.
func jsonArg(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// compactJSON undoes jsonb's output spacing ({"a": 1}), so a task reads back the way the
// memory store returns it. jsonb has already normalized key order and duplicates.
func compactJSON(b []byte) json.RawMessage {
	if b == nil {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(b))
	if err := json.Compact(&buf, b); err != nil {
		return b // jsonb always holds valid JSON; keep the bytes if it somehow does not
	}
	return buf.Bytes()
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
