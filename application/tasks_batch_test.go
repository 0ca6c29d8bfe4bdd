package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/logcapture"
)

// batchStore is a small stand-in for the memory adapter's ports.TaskBatchStore (which
// arrives with its own contract suite): CreateMany creates each task on the memory store
// under one lock, so a call is all or none, and records the size of every call. down fails
// every call; before runs inside a call first (to let a concurrent submit win a key).
type batchStore struct {
	*memory.TaskStore
	mu     sync.Mutex
	calls  []int
	down   atomic.Bool
	before func()
}

func (s *batchStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, len(tasks))
	if s.down.Load() {
		return nil, domain.Unavailable("task store", errors.New("connection refused"))
	}
	if s.before != nil {
		s.before()
	}
	out := make([]domain.CreateResult, len(tasks))
	for i, t := range tasks {
		stored, created, err := s.Create(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("batchStore: a fake that cannot fail half-way just failed: %w", err)
		}
		out[i] = domain.CreateResult{Task: stored, Created: created}
	}
	return out, nil
}

func (s *batchStore) UpdateMany(context.Context, []domain.TaskChange) ([]domain.ChangeResult, error) {
	return nil, errors.New("batchStore: UpdateMany is not used by submits")
}

func (s *batchStore) callSizes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.calls...)
}

// batchQueue is the memory queue with EnqueueMany, which records every call's ids; down
// fails every push.
type batchQueue struct {
	*memory.Queue
	mu    sync.Mutex
	calls [][]string
	down  atomic.Bool
}

func (q *batchQueue) EnqueueMany(ctx context.Context, items []domain.QueueItem) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.TaskID
	}
	q.calls = append(q.calls, ids)
	if q.down.Load() {
		return domain.Unavailable("queue", errors.New("connection refused"))
	}
	for _, it := range items {
		if err := q.Enqueue(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

func (q *batchQueue) DequeueMany(context.Context, int, time.Duration) ([]domain.Lease, error) {
	return nil, errors.New("batchQueue: DequeueMany is not used by submits")
}

func (q *batchQueue) AckMany(context.Context, []domain.Lease) ([]domain.Lease, error) {
	return nil, errors.New("batchQueue: AckMany is not used by submits")
}

func (q *batchQueue) pushes() [][]string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([][]string(nil), q.calls...)
}

var (
	_ ports.TaskBatchStore = (*batchStore)(nil)
	_ ports.BatchQueue     = (*batchQueue)(nil)
)

// batchRig is a task service with the batch ports, on memory adapters.
type batchRig struct {
	svc   *application.TaskService
	store *batchStore
	queue *batchQueue
	logs  *logcapture.Buffer
}

// newBatchRig builds the rig; perMinute is TASKS_PER_MINUTE (0: off). unwired leaves the
// batch ports out.
func newBatchRig(t *testing.T, perMinute int, unwired bool) *batchRig {
	t.Helper()
	clock := memory.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	r := &batchRig{
		store: &batchStore{TaskStore: memory.NewTaskStore()},
		queue: &batchQueue{Queue: memory.NewQueue(clock)},
		logs:  &logcapture.Buffer{},
	}
	limits := domain.DefaultLimits()
	limits.TasksPerMinute = perMinute
	deps := application.TaskDeps{
		Store: r.store, Queue: r.queue, Limiter: memory.NewRateLimiter(clock), Signals: memory.NewCancelSignals(),
		Clock: clock, IDs: &domain.IDGenerator{}, Limits: limits,
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler(), domain.TaskSleep: application.NewSleepHandler()},
		Log:      slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if !unwired {
		deps.Batch, deps.BatchQueue = r.store, r.queue
	}
	var err error
	r.svc, err = application.NewTaskService(deps)
	require.NoError(t, err)
	return r
}

// echo is the input of an echo task saying msg, from client "c1", with an optional key.
func echo(msg, key string) application.SubmitInput {
	return application.SubmitInput{Type: "echo", Params: json.RawMessage(fmt.Sprintf(`{"msg":%q}`, msg)),
		IdempotencyKey: key, ClientID: "c1"}
}

func (r *batchRig) count(t *testing.T) int {
	t.Helper()
	page, err := r.store.List(context.Background(), domain.TaskFilter{Limit: 500})
	require.NoError(t, err)
	return len(page.Tasks)
}

func requireCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, code, de.Code, de.Error())
	return de
}

func TestSubmitBatchCreatesAllInOrderWithOneWriteAndOnePush(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	sleep := application.SubmitInput{Type: "sleep", Params: json.RawMessage(`{"seconds":1}`), ClientID: "c1"}
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), sleep, echo("c", "")})
	require.NoError(t, err)
	require.Len(t, res, 3)
	require.Equal(t, []domain.TaskType{domain.TaskEcho, domain.TaskSleep, domain.TaskEcho},
		[]domain.TaskType{res[0].Task.Type, res[1].Task.Type, res[2].Task.Type})
	require.JSONEq(t, `{"msg":"c"}`, string(res[2].Task.Params))
	var ids []string
	for i, c := range res {
		require.True(t, c.Created, "task %d", i)
		require.Equal(t, domain.StatusQueued, c.Task.Status)
		stored, err := r.store.Get(t.Context(), c.Task.ID)
		require.NoError(t, err)
		require.Equal(t, c.Task.ID, stored.ID)
		ids = append(ids, c.Task.ID)
	}
	require.IsIncreasing(t, ids, "ids follow the request order, as listing expects")
	require.Equal(t, []int{3}, r.store.callSizes(), "one CreateMany for the batch")
	require.Equal(t, [][]string{ids}, r.queue.pushes(), "one EnqueueMany for the batch")
	for _, id := range ids {
		ok, err := r.queue.Contains(t.Context(), id)
		require.NoError(t, err)
		require.True(t, ok, id)
	}
}

func TestSubmitBatchRefusesWholeBatchNamingTheInvalidTask(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 3, false)
	for name, tc := range map[string]struct {
		bad   application.SubmitInput
		code  domain.Code
		field string
	}{
		"bad params":   {application.SubmitInput{Type: "sleep", Params: json.RawMessage(`{"seconds":-1}`), ClientID: "c1"}, domain.CodeInvalidParams, "params.seconds"},
		"bad timeout":  {application.SubmitInput{Type: "echo", TimeoutSeconds: intp(0), ClientID: "c1"}, domain.CodeInvalidParams, "timeout_seconds"},
		"unknown type": {application.SubmitInput{Type: "bogus", ClientID: "c1"}, domain.CodeInvalidRequest, "type"},
		"no type":      {application.SubmitInput{ClientID: "c1"}, domain.CodeInvalidRequest, "type"},
	} {
		_, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", ""), tc.bad})
		de := requireCode(t, err, tc.code)
		require.Equal(t, 2, de.Details["index"], name)
		require.Equal(t, tc.field, de.Details["field"], name)
		require.Contains(t, de.Message, "tasks[2]: ", name)
	}
	require.Zero(t, r.count(t), "a refused batch leaves no record")
	require.Empty(t, r.store.callSizes())
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", ""), echo("c", "")})
	require.NoError(t, err, "refused batches took rate-limit slots")
	require.Len(t, res, 3)
}

func TestSubmitBatchSizeIsOneToAThousand(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	big := make([]application.SubmitInput, application.MaxBatchTasks+1)
	for i := range big {
		big[i] = echo("x", "")
	}
	for _, ins := range [][]application.SubmitInput{nil, {}, big} {
		_, err := r.svc.SubmitBatch(t.Context(), ins)
		de := requireCode(t, err, domain.CodeInvalidParams)
		require.Equal(t, "tasks", de.Details["field"])
	}
	res, err := r.svc.SubmitBatch(t.Context(), big[:application.MaxBatchTasks])
	require.NoError(t, err)
	require.Len(t, res, application.MaxBatchTasks)
	require.Equal(t, []int{application.MaxBatchTasks}, r.store.callSizes())
}

func TestSubmitBatchTakesOneSlotPerTaskAllOrNone(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 5, false)
	three := []application.SubmitInput{echo("a", ""), echo("b", ""), echo("c", "")}
	_, err := r.svc.SubmitBatch(t.Context(), three)
	require.NoError(t, err)

	_, err = r.svc.SubmitBatch(t.Context(), three)
	de := requireCode(t, err, domain.CodeRateLimitExceeded)
	require.Positive(t, de.RetryAfter)
	require.Equal(t, 3, de.Details["requested"])
	require.Equal(t, 3, r.count(t), "a refused batch creates nothing")

	_, err = r.svc.SubmitBatch(t.Context(), three[:2])
	require.NoError(t, err, "the refused batch took slots")
	_, _, err = r.svc.Submit(t.Context(), echo("d", ""))
	requireCode(t, err, domain.CodeRateLimitExceeded)
	require.Equal(t, 5, r.count(t))
}

func TestSubmitBatchLargerThanTheLimitIsRefused(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 2, false)
	_, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", ""), echo("c", "")})
	de := requireCode(t, err, domain.CodeRateLimitExceeded)
	require.Contains(t, de.Message, "split")
	require.Zero(t, r.count(t))
}

func TestSubmitBatchHonoursIdempotencyKeysPerTask(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 3, false)
	earlier, created, err := r.svc.Submit(t.Context(), echo("first", "k-a"))
	require.NoError(t, err)
	require.True(t, created)
	before := len(r.store.callSizes())

	// k-a is stored; k-b repeats within the batch: two new tasks, taking the last two slots.
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{
		echo("first", "k-a"), echo("b", "k-b"), echo("b", "k-b"), echo("plain", ""),
	})
	require.NoError(t, err)
	require.Len(t, res, 4)
	require.Equal(t, domain.CreateResult{Task: earlier}, res[0], "a stored key returns the earlier task")
	require.True(t, res[1].Created)
	require.Equal(t, domain.CreateResult{Task: res[1].Task}, res[2], "a key repeated in the batch gets the first's task")
	require.True(t, res[3].Created)
	require.Equal(t, []int{2}, r.store.callSizes()[before:], "only the new tasks are written")
	require.Equal(t, []string{res[1].Task.ID, res[3].Task.ID}, r.queue.pushes()[len(r.queue.pushes())-1])
	require.Equal(t, 3, r.count(t))

	// Every slot is used, yet a batch of replays is answered: it creates nothing.
	again, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("b", "k-b"), echo("first", "k-a")})
	require.NoError(t, err)
	require.Equal(t, []domain.CreateResult{{Task: res[1].Task}, {Task: earlier}}, again)
	require.Equal(t, []int{2}, r.store.callSizes()[before:], "replays write nothing")
}

func TestSubmitBatchKeysAreScopedPerCaller(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	a, b := echo("a", "k"), echo("b", "k")
	a.IdempotencyScope, b.IdempotencyScope = "token-1", "token-2"
	ra, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{a})
	require.NoError(t, err)
	rb, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{b})
	require.NoError(t, err)
	require.True(t, rb[0].Created, "another token's key is another key")
	require.NotEqual(t, ra[0].Task.ID, rb[0].Task.ID)
}

func TestSubmitBatchKeyTakenMeanwhileReturnsTheWinner(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	winner := domain.Task{ID: (&domain.IDGenerator{}).New(time.Now()), Type: domain.TaskEcho, Status: domain.StatusQueued,
		Params: json.RawMessage(`{}`), TimeoutSeconds: 60, IdempotencyKey: "k", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	// A concurrent submit stores the key after the batch looked it up, before it writes.
	r.store.before = func() {
		_, _, err := r.store.Create(context.Background(), winner)
		require.NoError(t, err)
	}
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", "k"), echo("b", "")})
	require.NoError(t, err)
	require.False(t, res[0].Created)
	require.Equal(t, winner.ID, res[0].Task.ID)
	require.True(t, res[1].Created)
	require.Equal(t, [][]string{{res[1].Task.ID}}, r.queue.pushes(), "only the created task is pushed")
}

func TestSubmitBatchPushFailureIsDeferredToTheReconciler(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	r.queue.down.Store(true)
	res, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", "")})
	require.NoError(t, err, "the records are written: the client gets its tasks")
	for _, c := range res {
		require.True(t, c.Created)
		_, err := r.store.Get(t.Context(), c.Task.ID)
		require.NoError(t, err)
		require.Len(t, r.logs.TaskEvents("task_enqueue_deferred", c.Task.ID), 1, c.Task.ID)
	}
}

func TestSubmitBatchStoreFailureCreatesNothing(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	r.store.down.Store(true)
	_, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", "")})
	require.ErrorIs(t, err, domain.ErrUnavailable)
	require.Empty(t, r.queue.pushes())
	require.Zero(t, r.count(t))
}

func TestSubmitBatchNeedsTheBatchPorts(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, true)
	_, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), echo("b", "")})
	require.Error(t, err)
	require.Equal(t, domain.CodeInternal, domain.CodeOf(err), "a wiring bug, not the client's fault")
	require.Zero(t, r.count(t), "no one-by-one fallback that could stop half-way")
}

func TestSubmitBatchRefusesInputsOfSeveralClients(t *testing.T) {
	t.Parallel()
	r := newBatchRig(t, 0, false)
	other := echo("b", "")
	other.ClientID = "c2"
	_, err := r.svc.SubmitBatch(t.Context(), []application.SubmitInput{echo("a", ""), other})
	require.Error(t, err)
	require.Zero(t, r.count(t))
}
