package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/adapters/redis"
	"taskrunner/adapters/sysclock"
	"taskrunner/application"
	"taskrunner/bootstrap"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/apptest"
	"taskrunner/test/harness"
	"taskrunner/test/logcapture"
)

// Sizes shared by the tests. waitLimit is a deadline for polls, never a speed expectation:
// on an idle machine every test here finishes in a few seconds.
const (
	taskCount    = 200
	waitLimit    = 30 * time.Second
	pollInterval = 20 * time.Millisecond
	// testLease is the workers' lease: short, so a lost one is redelivered quickly.
	testLease = time.Second
)

// services is one test's slice of the real services: a fresh migrated database, a key
// prefix of its own, and the JSON log every simulated process writes to.
type services struct {
	dbURL string
	redis harness.RedisTarget
	logs  *logcapture.Buffer
	log   *slog.Logger
}

func setup(t *testing.T) *services {
	t.Helper()
	s := &services{dbURL: harness.Postgres(t), redis: harness.Redis(t), logs: &logcapture.Buffer{}}
	s.log = slog.New(slog.NewJSONHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		t.Logf("last log lines:\n%s", s.logs.Tail(80))
		// FAULTS_LOG_DIR keeps the whole log of a failed test, for a post-mortem.
		if dir := os.Getenv("FAULTS_LOG_DIR"); dir != "" {
			path := filepath.Join(dir, t.Name()+".log")
			if err := os.WriteFile(path, []byte(s.logs.Tail(math.MaxInt)), 0o644); err == nil {
				t.Logf("full log: %s", path)
			}
		}
	})
	return s
}

// taskStore and taskQueue are a process's store and queue as production wires them: the
// single-call ports and the batch ports, one value behind both (bootstrap annotates each
// adapter as both). Every wrapper a test puts around them must therefore implement the
// batch methods too, so a fault injected on single calls cannot be bypassed by the batched
// path the workers and the task service take.
type taskStore interface {
	ports.TaskStore
	ports.TaskBatchStore
}

type taskQueue interface {
	ports.Queue
	ports.BatchQueue
}

// process is one simulated taskrunner process: its own PostgreSQL pool and Redis client,
// as a separate OS process has, and the ports built on them. They are built from the
// services-mode config with the adapters' constructors, field for field as
// bootstrap/services.go builds them, not through fx: the tests replace a process's ports
// (crash switches, recorders) between building it and starting its worker, and bootstrap
// keeps its constructors inside the fx graph.
type process struct {
	name    string
	db      *postgres.DB
	client  *goredis.Client
	store   taskStore
	queue   taskQueue
	signals ports.CancelSignals
	limiter ports.RateLimiter
}

// config is the services-mode config of s, as an app of this test would get it (without
// a bucket: a simulated process stores no artifacts).
func (s *services) config(t *testing.T) bootstrap.Config {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeServices)
	c.DatabaseURL = s.dbURL
	c.RedisURL, c.RedisPrefix = s.redis.URL, s.redis.Prefix
	return c
}

func (s *services) process(t *testing.T, name string) *process {
	t.Helper()
	c := s.config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.New(ctx, postgres.Config{URL: c.DatabaseURL, MaxConns: c.DatabaseMaxConns})
	require.NoError(t, err)
	t.Cleanup(db.Close)
	require.NoError(t, db.Ping(ctx))
	require.NoError(t, postgres.CheckSchema(ctx, c.DatabaseURL))
	client, err := redis.NewClient(redis.Config{URL: c.RedisURL, Prefix: c.RedisPrefix, PoolSize: c.RedisPool()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	require.NoError(t, redis.Ping(ctx, client))
	q, err := redis.NewQueue(client, c.RedisPrefix)
	require.NoError(t, err)
	sig, err := redis.NewCancelSignals(client, c.RedisPrefix)
	require.NoError(t, err)
	lim, err := redis.NewRateLimiter(client, c.RedisPrefix)
	require.NoError(t, err)
	return &process{name: name, db: db, client: client, store: postgres.NewTaskStore(db),
		queue: q, signals: sig, limiter: lim}
}

// limits are the defaults with the per-client rate limit off: the tests submit hundreds of
// tasks from one client.
func limits() domain.Limits {
	l := domain.DefaultLimits()
	l.TasksPerMinute = 0
	return l
}

// submit creates n echo tasks ({"i": k}) through the task service of p, as the API does,
// and returns their ids in submission order.
func (s *services) submit(t *testing.T, p *process, n int) []string {
	t.Helper()
	svc, err := application.NewTaskService(application.TaskDeps{
		Store: p.store, Queue: p.queue, Limiter: p.limiter, Signals: p.signals,
		Clock: sysclock.Clock{}, IDs: &domain.IDGenerator{},
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Limits:   limits(), Log: s.log.With("process", p.name),
		// As bootstrap wires it: submits are group-committed.
		Batch: p.store, BatchQueue: p.queue, GroupCommit: true,
	})
	require.NoError(t, err)
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	const clients = 4
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := c; k < n; k += clients {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				task, _, err := svc.Submit(ctx, application.SubmitInput{
					Type: string(domain.TaskEcho), Params: json.RawMessage(fmt.Sprintf(`{"i":%d}`, k)), ClientID: "faults",
				})
				cancel()
				ids[k], errs[k] = task.ID, err
			}
		}()
	}
	wg.Wait()
	for k, err := range errs {
		require.NoError(t, err, "submit task %d", k)
	}
	return ids
}

// workerConfig is a worker tuned for tests: the short lease, quick retries and shutdown.
func workerConfig(concurrency int) application.WorkerConfig {
	return application.WorkerConfig{
		Concurrency:   concurrency,
		Lease:         testLease,
		RetryBase:     20 * time.Millisecond,
		RetryMax:      200 * time.Millisecond,
		KillGrace:     100 * time.Millisecond,
		ShutdownGrace: 200 * time.Millisecond,
		OpTimeout:     2 * time.Second,
	}
}

// startWorker starts a worker of process p that runs echo tasks with h, stopped when the
// test ends (before p's connections close: cleanups run last-in first-out).
func (s *services) startWorker(t *testing.T, p *process, h application.Handler, cfg application.WorkerConfig) *application.Worker {
	t.Helper()
	w, err := application.NewWorker(application.WorkerDeps{
		Store: p.store, Queue: p.queue, Signals: p.signals, Clock: sysclock.Clock{},
		Handlers: application.Handlers{domain.TaskEcho: h}, Limits: limits(),
		Log: s.log.With("process", p.name),
		// As bootstrap wires it: dequeues, starts, finishes and acks are batched.
		Batch: p.store, BatchQueue: p.queue,
		// Each process names itself in the attempts it starts, as bootstrap's host/pid does.
		Identity: domain.WorkerID{Host: p.name, PID: os.Getpid()},
	}, cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, w.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = w.Stop(ctx)
	})
	return w
}

// startReconciler starts a reconciler of process p on a short interval.
func (s *services) startReconciler(t *testing.T, p *process) {
	t.Helper()
	r, err := application.NewReconciler(application.ReconcilerDeps{
		Store: p.store, Queue: p.queue, Clock: sysclock.Clock{}, Log: s.log.With("process", p.name),
	}, application.ReconcilerConfig{Interval: 100 * time.Millisecond, QueuedGrace: 100 * time.Millisecond, Lease: testLease})
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
}

// eventually polls cond until it holds or waitLimit passes; then it fails with what the
// last poll said.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %s: %s", what, waitLimit, state)
		}
		time.Sleep(pollInterval)
	}
}

// waitFinished waits until every one of ids is in a terminal status and returns the
// tasks, read from the record.
func waitFinished(t *testing.T, store ports.TaskStore, ids []string) map[string]domain.Task {
	t.Helper()
	tasks := map[string]domain.Task{}
	eventually(t, "every task to finish", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		counts, err := store.CountByTypeStatus(ctx)
		if err != nil {
			return false, err.Error()
		}
		done := 0
		for st, n := range counts[domain.TaskEcho] {
			if st.Terminal() {
				done += int(n)
			}
		}
		return done >= len(ids), fmt.Sprintf("%d of %d finished; by status %v", done, len(ids), counts[domain.TaskEcho])
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range ids {
		task, err := store.Get(ctx, id)
		require.NoError(t, err, "task %s", id)
		tasks[id] = task
	}
	return tasks
}

// waitQueueEmpty waits until the queue holds none of ids (every delivery acked), so that a
// late redelivery cannot slip in after the checks.
func waitQueueEmpty(t *testing.T, q ports.Queue, ids []string) {
	t.Helper()
	eventually(t, "the queue to let go of every task", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, id := range ids {
			held, err := q.Contains(ctx, id)
			if err != nil {
				return false, err.Error()
			}
			if held {
				return false, "the queue still holds task " + id
			}
		}
		return true, ""
	})
}

// taskIDs returns, for the log event name, how often it was logged per task id.
func taskIDs(b *logcapture.Buffer, name string) map[string]int {
	out := map[string]int{}
	for _, line := range b.Lines(name) {
		var m struct {
			TaskID string `json:"task_id"`
		}
		if json.Unmarshal([]byte(line), &m) == nil {
			out[m.TaskID]++
		}
	}
	return out
}
