package application_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/logcapture"
)

func TestSubmitSameKeyDifferentRequestIsAConflict(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	first, created, err := r.svc.Submit(t.Context(), echo("hello", "k"))
	require.NoError(t, err)
	require.True(t, created)

	same, created, err := r.svc.Submit(t.Context(), echo("hello", "k"))
	require.NoError(t, err, "the same request replays")
	require.False(t, created)
	require.Equal(t, first.ID, same.ID)

	retried := echo("hello", "k")
	retried.Params = json.RawMessage(`{ "msg" : "hello" }`)
	same, _, err = r.svc.Submit(t.Context(), retried)
	require.NoError(t, err, "spacing is not a different request")
	require.Equal(t, first.ID, same.ID)

	for name, change := range map[string]func(*application.SubmitInput){
		"params":   func(in *application.SubmitInput) { in.Params = json.RawMessage(`{"msg":"bye"}`) },
		"type":     func(in *application.SubmitInput) { in.Type, in.Params = "sleep", json.RawMessage(`{"seconds":0}`) },
		"retries":  func(in *application.SubmitInput) { in.MaxRetries = ptr(2) },
		"timeout":  func(in *application.SubmitInput) { in.TimeoutSeconds = ptr(5) },
		"priority": func(in *application.SubmitInput) { in.Priority = ptr(1) },
		"callback": func(in *application.SubmitInput) { in.CallbackURL = "https://example.test/hook" },
	} {
		in := echo("hello", "k")
		change(&in)
		_, _, err := r.svc.Submit(t.Context(), in)
		e := requireCode(t, err, domain.CodeIdempotencyKeyConflict)
		require.Equal(t, first.ID, e.Details["task_id"], name)
		require.Equal(t, "idempotency_key", e.Details["field"], name)
	}
	delayed := echo("hello", "k")
	delayed.DelaySeconds = ptr(30)
	_, _, err = r.svc.Submit(t.Context(), delayed)
	require.NoError(t, err, "when the task runs is not part of the comparison")
	require.Equal(t, 1, r.count(t), "conflicts create nothing")
}

func TestSubmitBatchSameKeyDifferentRequestIsAConflict(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	_, _, err := r.svc.Submit(t.Context(), echo("stored", "k-stored"))
	require.NoError(t, err)

	_, err = r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("new", ""), echo("other", "k-stored")})
	e := requireCode(t, err, domain.CodeIdempotencyKeyConflict)
	require.Equal(t, 1, e.Details["index"])

	_, err = r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", "k-in"), echo("new", ""), echo("b", "k-in")})
	e = requireCode(t, err, domain.CodeIdempotencyKeyConflict)
	require.Equal(t, 2, e.Details["index"])
	require.Equal(t, 0, e.Details["conflicts_with_index"])
	require.Equal(t, 1, r.count(t), "a refused batch creates nothing")
}

// A submit whose key a concurrent submit takes between the lookup and the write learns it
// from the write, on the group-commit path as on the direct one.
func TestSubmitKeyTakenMeanwhileWithAnotherRequestIsAConflict(t *testing.T) {
	t.Parallel()
	for _, groupCommit := range []bool{false, true} {
		store := &batchStore{TaskStore: memory.NewTaskStore()}
		clock := memory.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
		queue := &batchQueue{Queue: memory.NewQueue(clock)}
		svc, err := application.NewTaskService(application.TaskDeps{
			Store: blindKeyLookup{store}, Queue: queue, Limiter: memory.NewRateLimiter(clock), Signals: memory.NewCancelSignals(),
			Clock: clock, IDs: &domain.IDGenerator{}, Limits: domain.DefaultLimits(),
			Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
			Log:      slog.New(slog.NewJSONHandler(&logcapture.Buffer{}, nil)),
			Batch:    store, BatchQueue: queue, GroupCommit: groupCommit,
		})
		require.NoError(t, err)
		winner, _, err := svc.Submit(t.Context(), echo("first", "k"))
		require.NoError(t, err)

		_, _, err = svc.Submit(t.Context(), echo("second", "k"))
		requireCode(t, err, domain.CodeIdempotencyKeyConflict)
		same, created, err := svc.Submit(t.Context(), echo("first", "k"))
		require.NoError(t, err, "group commit %v", groupCommit)
		require.False(t, created)
		require.Equal(t, winner.ID, same.ID)
	}
}

func TestSubmitBatchKeyTakenMeanwhileWithAnotherRequestIsLogged(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	winner := domain.Task{ID: (&domain.IDGenerator{}).New(time.Now()), Type: domain.TaskEcho, Status: domain.StatusQueued,
		Params: json.RawMessage(`{}`), TimeoutSeconds: 60, IdempotencyKey: "k", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	r.store.before = func() {
		_, _, err := r.store.Create(context.Background(), winner)
		require.NoError(t, err)
	}
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", "k"), echo("b", "")})
	require.NoError(t, err, "the batch's other task is written: all or none keeps it")
	require.Equal(t, winner.ID, res[0].Task.ID)
	require.Len(t, r.logs.TaskEvents("idempotency_key_conflict_raced", winner.ID), 1)
}

// blindKeyLookup never finds a key, as when a concurrent submit stores it just after the
// lookup: the write is where the submit learns of it.
type blindKeyLookup struct{ *batchStore }

func (blindKeyLookup) GetByIdempotencyKey(context.Context, string) (domain.Task, error) {
	return domain.Task{}, domain.ErrNotFound
}

func ptr(n int) *int { return &n }
