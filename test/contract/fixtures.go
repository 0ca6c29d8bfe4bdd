package contract

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"taskrunner/domain"
)

// ids makes every id the suites use: UUIDv7, as the application does and Postgres requires.
var ids domain.IDGenerator

// NewID returns a fresh UUIDv7. Ids made later sort after ids made earlier.
func NewID() string { return ids.New(time.Now()) }

// Now is the current UTC time truncated to microseconds, the precision Postgres keeps, so a
// stored time compares Equal to the one written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// randomHex returns n random bytes as hex, for keys no other test will use.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// UniqueTaskType returns a task type no other test uses, so listings and counts filtered by
// it see only the caller's tasks even in a shared store.
func UniqueTaskType() domain.TaskType { return domain.TaskType("contract_" + randomHex(6)) }

// TaskOption adjusts a task made by NewTask.
type TaskOption func(*domain.Task)

// NewTask returns a valid queued echo task with a fresh id and times set to Now, adjusted
// by opts.
func NewTask(opts ...TaskOption) domain.Task {
	now := Now()
	t := domain.Task{
		ID:             NewID(),
		Type:           domain.TaskEcho,
		Status:         domain.StatusQueued,
		Params:         json.RawMessage(`{"msg":"hello"}`),
		TimeoutSeconds: 60,
		ClientID:       "contract",
		Priority:       domain.DefaultPriority,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	for _, o := range opts {
		o(&t)
	}
	return t
}

// WithType sets the task type.
func WithType(typ domain.TaskType) TaskOption { return func(t *domain.Task) { t.Type = typ } }

// WithStatus sets the status (and nothing else: callers set matching times if they care).
func WithStatus(s domain.Status) TaskOption { return func(t *domain.Task) { t.Status = s } }

// WithIdempotencyKey sets the idempotency key.
func WithIdempotencyKey(k string) TaskOption {
	return func(t *domain.Task) { t.IdempotencyKey = k }
}

// WithUpdatedAt sets UpdatedAt (and CreatedAt, when it would be later).
func WithUpdatedAt(at time.Time) TaskOption {
	return func(t *domain.Task) {
		t.UpdatedAt = at
		if t.CreatedAt.After(at) {
			t.CreatedAt = at
		}
	}
}

// WithParentID sets the parent task's id.
func WithParentID(id string) TaskOption { return func(t *domain.Task) { t.ParentID = id } }

// WithRunAt makes the task scheduled, due at at.
func WithRunAt(at time.Time) TaskOption {
	return func(t *domain.Task) {
		t.Status = domain.StatusScheduled
		t.RunAt = &at
	}
}

// WithParams sets the params JSON.
func WithParams(raw string) TaskOption {
	return func(t *domain.Task) { t.Params = json.RawMessage(raw) }
}

// FullTask returns a task with every field set to a non-zero value (a failed task on its
// second attempt), for round-trip tests.
func FullTask(opts ...TaskOption) domain.Task {
	now := Now()
	started := now.Add(-2 * time.Second)
	finished := now.Add(-time.Second)
	t := NewTask(func(t *domain.Task) {
		t.Type = domain.TaskSearch
		t.Status = domain.StatusFailed
		t.Params = json.RawMessage(`{"query":"golang \"queues\"","sources":["brave","exa"],"max_results":5,"nested":{"b":1,"a":[true,null,2.5]}}`)
		t.Result = json.RawMessage(`{"artifact_ids":[],"result_count":0,"providers":{"brave":{"ok":false}}}`)
		t.Error = &domain.TaskError{Code: domain.CodeProviderError, Message: "brave: 503 – ünïcode"}
		t.Attempts = 2
		t.MaxRetries = 3
		t.TimeoutSeconds = 120
		t.IdempotencyKey = "contract-" + randomHex(8)
		t.ClientID = "client-" + randomHex(4)
		t.CancelRequested = true
		t.ScheduleID = NewID()
		t.CreatedAt = now.Add(-3 * time.Second)
		t.UpdatedAt = finished
		t.StartedAt = &started
		t.FinishedAt = &finished
		runAt := now.Add(-4 * time.Second)
		t.RunAt = &runAt
		t.Priority = 3
		t.ParentID = NewID()
		t.RetryOf = NewID()
		lostAt := started.Add(-time.Second)
		t.AttemptLog = []domain.Attempt{
			{Number: 1, Worker: domain.WorkerID{Host: "host-a", PID: 11}, StartedAt: started.Add(-3 * time.Second),
				FinishedAt: &lostAt, Outcome: domain.AttemptLost},
			{Number: 2, Worker: domain.WorkerID{Host: "höst-b", PID: 22}, StartedAt: started,
				FinishedAt: &finished, Outcome: domain.AttemptFailed, Error: domain.CodeProviderError},
		}
		beat := finished.Add(-500 * time.Millisecond)
		t.HeartbeatAt = &beat
		t.Progress = &domain.Progress{Done: 3, Total: 7, Message: "queries – searched"}
	})
	for _, o := range opts {
		o(&t)
	}
	return t
}

// NewArtifact returns artifact metadata with a fresh id for taskID ("" for none).
func NewArtifact(taskID string) domain.Artifact {
	sum := randomHex(32)
	return domain.Artifact{
		ID:          NewID(),
		TaskID:      taskID,
		Type:        domain.ArtifactSearchResults,
		ContentType: "application/json",
		SizeBytes:   1234,
		SHA256:      sum,
		CreatedAt:   Now(),
		Metadata:    json.RawMessage(`{"query":"q","count":3,"tags":["a","b"]}`),
	}
}

// NewRun returns a succeeded run of scope for RunKey(scope, key), finished now, with two
// metrics and a note.
func NewRun(scope, key string) domain.Run {
	now := Now()
	return domain.Run{
		ID:          NewID(),
		Scope:       scope,
		Key:         domain.RunKey(scope, key),
		TaskID:      NewID(),
		Status:      "succeeded",
		ArtifactIDs: []string{NewID(), NewID()},
		StartedAt:   now.Add(-time.Second),
		FinishedAt:  now,
		Metrics: []domain.Metric{
			{Name: "brave.latency_ms", Value: 123.25},
			{Name: "brave.results", Value: 10},
		},
		Notes: []domain.Note{{Text: "exa: not configured", CreatedAt: now.Add(-500 * time.Millisecond)}},
	}
}
