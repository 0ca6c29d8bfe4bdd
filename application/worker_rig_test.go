package application_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/logcapture"
)

// waitLimit bounds every poll in these tests; it is a deadline, not a speed expectation.
const waitLimit = 5 * time.Second

// workerRig is a worker on memory adapters with a task service to submit through and a
// captured JSON log.
type workerRig struct {
	store   *memory.TaskStore
	queue   *memory.Queue
	signals *memory.CancelSignals
	tasks   *application.TaskService
	worker  *application.Worker
	outage  *outageStore // the worker's view of store; can be switched off
	logs    *logcapture.Buffer
	work    *recordedWork // the worker's ports.WorkObserver
}

// outageStore is a task store whose Update fails as unavailable while down is set.
type outageStore struct {
	*memory.TaskStore
	down atomic.Bool
	// refuseNUL makes writes of a result holding an escaped NUL fail as PostgreSQL's do.
	refuseNUL atomic.Bool
}

func (s *outageStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	if s.down.Load() {
		return domain.Task{}, domain.Unavailable("task store", errors.New("connection refused"))
	}
	return s.TaskStore.Update(ctx, id, s.refusing(fn))
}

// GetMany is how the batched worker reads its deliveries: down, it fails as the rest.
func (s *outageStore) GetMany(ctx context.Context, ids []string) ([]domain.Task, error) {
	if s.down.Load() {
		return nil, domain.Unavailable("task store", errors.New("connection refused"))
	}
	return s.TaskStore.GetMany(ctx, ids)
}

// UpdateMany is the batch path the worker takes; like PostgreSQL, a refused value fails
// the whole statement.
func (s *outageStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	if s.down.Load() {
		return nil, domain.Unavailable("task store", errors.New("connection refused"))
	}
	wrapped := make([]domain.TaskChange, len(changes))
	for i, c := range changes {
		wrapped[i] = domain.TaskChange{ID: c.ID, Apply: s.refusing(c.Apply)}
	}
	res, err := s.TaskStore.UpdateMany(ctx, wrapped)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if errors.Is(r.Err, domain.ErrInvalidValue) {
			return nil, r.Err
		}
	}
	return res, nil
}

// refusing makes fn fail as PostgreSQL does when refuseNUL is set and the result holds
// an escaped NUL.
func (s *outageStore) refusing(fn func(*domain.Task) error) func(*domain.Task) error {
	if !s.refuseNUL.Load() {
		return fn
	}
	return func(t *domain.Task) error {
		if err := fn(t); err != nil {
			return err
		}
		if bytes.Contains(t.Result, []byte(`\u0000`)) {
			return fmt.Errorf("unsupported Unicode escape sequence: %w", domain.ErrInvalidValue)
		}
		return nil
	}
}

// newWorkerRig builds the rig on the system clock; the worker is not started (call
// start). Unset durations get small test values.
func newWorkerRig(t *testing.T, handlers application.Handlers, cfg application.WorkerConfig) *workerRig {
	t.Helper()
	return newWorkerRigClock(t, handlers, cfg, sysclock.Clock{})
}

// newWorkerRigClock builds the rig on the given clock. Tests that need a lease to expire
// use a memory.FakeClock and move it, so they do not depend on how promptly a loaded
// machine fires timers.
func newWorkerRigClock(t *testing.T, handlers application.Handlers, cfg application.WorkerConfig, clock ports.Clock) *workerRig {
	t.Helper()
	if cfg.Lease == 0 {
		// Long enough that no lease expires under a busy test run unless a test wants it to.
		cfg.Lease = 5 * time.Second
	}
	if cfg.RetryBase == 0 {
		cfg.RetryBase = 10 * time.Millisecond
	}
	if cfg.RetryMax == 0 {
		cfg.RetryMax = 40 * time.Millisecond
	}
	if cfg.KillGrace == 0 {
		cfg.KillGrace = 100 * time.Millisecond
	}
	// ShutdownGrace keeps its zero: at the end of a test running tasks are handed back at once.
	if handlers == nil {
		handlers = application.Handlers{
			domain.TaskEcho:  application.NewEchoHandler(),
			domain.TaskSleep: application.NewSleepHandler(),
		}
	}
	limits := domain.DefaultLimits()
	limits.TasksPerMinute = 0
	logs := &logcapture.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker log:\n%s", logs.String())
		}
	})
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r := &workerRig{
		store:   memory.NewTaskStore(),
		queue:   memory.NewQueue(clock),
		signals: memory.NewCancelSignals(),
		logs:    logs,
		work:    newRecordedWork(),
	}
	var err error
	r.tasks, err = application.NewTaskService(application.TaskDeps{
		Store: r.store, Queue: r.queue, Limiter: memory.NewRateLimiter(clock), Signals: r.signals,
		Clock: clock, IDs: &domain.IDGenerator{}, Handlers: handlers, Limits: limits, Log: log,
		Batch: r.store, BatchQueue: r.queue, GroupCommit: true,
	})
	require.NoError(t, err)
	r.outage = &outageStore{TaskStore: r.store}
	// The batch ports, as bootstrap wires them: the worker's production path.
	r.worker, err = application.NewWorker(application.WorkerDeps{
		Store: r.outage, Queue: r.queue, Signals: r.signals, Clock: clock,
		Handlers: handlers, Limits: limits, Log: log, Batch: r.outage, BatchQueue: r.queue,
		Work: r.work,
	}, cfg)
	require.NoError(t, err)
	return r
}

// start starts the worker and stops it when the test ends.
func (r *workerRig) start(t *testing.T) {
	t.Helper()
	require.NoError(t, r.worker.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		require.NoError(t, r.worker.Stop(ctx))
	})
}

// submitOpts are the optional fields of a submission.
type submitOpts struct {
	timeout, retries *int
}

func (r *workerRig) submit(t *testing.T, typ domain.TaskType, params string, opts ...submitOpts) domain.Task {
	t.Helper()
	in := application.SubmitInput{Type: string(typ), Params: json.RawMessage(params), ClientID: "test"}
	for _, o := range opts {
		in.TimeoutSeconds, in.MaxRetries = o.timeout, o.retries
	}
	task, created, err := r.tasks.Submit(context.Background(), in)
	require.NoError(t, err)
	require.True(t, created)
	return task
}

// waitStatus polls the record until the task has the status, and returns it.
func (r *workerRig) waitStatus(t *testing.T, id string, want domain.Status) domain.Task {
	t.Helper()
	var last domain.Task
	require.Eventually(t, func() bool {
		var err error
		last, err = r.store.Get(context.Background(), id)
		return err == nil && last.Status == want
	}, waitLimit, 5*time.Millisecond, "task %s never became %s", id, want)
	return last
}

func (r *workerRig) get(t *testing.T, id string) domain.Task {
	t.Helper()
	task, err := r.store.Get(context.Background(), id)
	require.NoError(t, err)
	return task
}

func (r *workerRig) inQueue(t *testing.T, id string) bool {
	t.Helper()
	ok, err := r.queue.Contains(context.Background(), id)
	require.NoError(t, err)
	return ok
}

func intp(n int) *int { return &n }

// stubHandler runs a function; Validate accepts any params.
type stubHandler struct {
	run func(ctx context.Context, t domain.Task) (json.RawMessage, error)
}

func (stubHandler) Validate(p json.RawMessage, _ domain.Limits) (json.RawMessage, error) {
	return p, nil
}

func (h stubHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	return h.run(ctx, t)
}
