package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
	"taskrunner/test/harness"
)

// The write path of a task: one task per call (Create, Update: size 1) against one batch
// per call (CreateMany, UpdateMany), with many callers at once, as in the service. Each
// result is per task: ns/task is wall time, which other work on the machine moves a lot;
// pg-µs/task and go-µs/task are the CPU the server's backends and this process spent,
// which bounds throughput on a small machine and moves much less. Run with
//
//	TEST_POSTGRES_URL=... go test -run '^$' -bench TaskStoreWrites -benchtime 3s ./adapters/postgres/
//
// Create writes new tasks; Update starts and requeues a caller's own tasks in turn;
// Lifecycle is the service's three writes of a task: created, started, succeeded; Worker
// is what the worker writes for a short task: created, read, then started and succeeded
// in one hinted write (a late start, domain.LateStart).

const benchCallers = 8 // concurrent callers; the pool has as many connections

func BenchmarkTaskStoreWrites(b *testing.B) {
	for _, size := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("Create/%d", size), func(b *testing.B) {
			s := benchStore(b)
			runBench(b, s, size, stateless(func(ctx context.Context) error { _, err := benchCreate(ctx, s, size); return err }))
		})
		b.Run(fmt.Sprintf("Update/%d", size), func(b *testing.B) {
			s := benchStore(b)
			runBench(b, s, size, benchToggle(s, size))
		})
		b.Run(fmt.Sprintf("Lifecycle/%d", size), func(b *testing.B) {
			s := benchStore(b)
			runBench(b, s, size, stateless(func(ctx context.Context) error { return benchLifecycle(ctx, s, size) }))
		})
		b.Run(fmt.Sprintf("Worker/%d", size), func(b *testing.B) {
			s := benchStore(b)
			runBench(b, s, size, stateless(func(ctx context.Context) error { return benchWorkerPath(ctx, s, size) }))
		})
	}
}

// benchDB is a store over a fresh database, with every connection of its pool open.
type benchDB struct {
	*postgres.TaskStore
	url string
}

func benchStore(b *testing.B) benchDB {
	url := harness.Postgres(b)
	db, err := postgres.New(context.Background(), postgres.Config{URL: url, MaxConns: benchCallers})
	require.NoError(b, err)
	b.Cleanup(db.Close)
	require.NoError(b, postgres.OpenConns(context.Background(), db, benchCallers))
	return benchDB{postgres.NewTaskStore(db), url}
}

// runBench runs a caller's op from each of benchCallers goroutines and reports the cost
// per task (op writes size tasks per call).
func runBench(b *testing.B, db benchDB, size int, newCaller func(ctx context.Context) func(ctx context.Context) error) {
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchCallers + procs - 1) / procs) // RunParallel starts parallelism × procs
	cpu := startCPU(b, db.url)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		op := newCaller(ctx)
		for pb.Next() {
			if err := op(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	tasks := float64(b.N * size)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/tasks, "ns/task")
	b.ReportMetric(tasks/b.Elapsed().Seconds(), "tasks/s")
	b.ReportMetric(0, "ns/op") // per call is not comparable across sizes
	cpu.report(b, tasks)
}

// stateless is op for every caller.
func stateless(op func(ctx context.Context) error) func(context.Context) func(context.Context) error {
	return func(context.Context) func(context.Context) error { return op }
}

func benchTask() domain.Task {
	return contract.NewTask(func(t *domain.Task) {
		t.Params = json.RawMessage(`{"message":"hello from the benchmark"}`)
		t.ClientID = "bench-client"
	})
}

func benchCreate(ctx context.Context, s benchDB, size int) ([]string, error) {
	ids := make([]string, size)
	if size == 1 {
		t, _, err := s.Create(ctx, benchTask())
		ids[0] = t.ID
		return ids, err
	}
	tasks := make([]domain.Task, size)
	for i := range tasks {
		tasks[i] = benchTask()
	}
	results, err := s.CreateMany(ctx, tasks)
	for i, r := range results {
		ids[i] = r.Task.ID
	}
	return ids, err
}

func benchUpdate(ctx context.Context, s benchDB, ids []string, apply func(*domain.Task) error) error {
	if len(ids) == 1 {
		_, err := s.Update(ctx, ids[0], apply)
		return err
	}
	changes := make([]domain.TaskChange, len(ids))
	for i, id := range ids {
		changes[i] = domain.TaskChange{ID: id, Apply: apply}
	}
	results, err := s.UpdateMany(ctx, changes)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// benchToggle is one update of size tasks: each caller (RunParallel goroutine) creates its
// own tasks on its first call, then starts and requeues them in turn. Both change the
// status, so, like every transition, neither is a HOT update.
func benchToggle(s benchDB, size int) func(ctx context.Context) func(ctx context.Context) error {
	return func(ctx context.Context) func(ctx context.Context) error {
		var ids []string
		start := true
		return func(ctx context.Context) error {
			if ids == nil {
				var err error
				if ids, err = benchCreate(ctx, s, size); err != nil {
					return err
				}
			}
			apply := func(t *domain.Task) error { return t.Start("d", time.Now()) }
			if !start {
				apply = func(t *domain.Task) error { return t.Requeue(nil, time.Now()) }
			}
			start = !start
			return benchUpdate(ctx, s, ids, apply)
		}
	}
}

// benchLifecycle is the service's hot path for size tasks: created, started, succeeded.
func benchLifecycle(ctx context.Context, s benchDB, size int) error {
	ids, err := benchCreate(ctx, s, size)
	if err != nil {
		return err
	}
	if err := benchUpdate(ctx, s, ids, func(t *domain.Task) error { return t.Start("d", time.Now()) }); err != nil {
		return err
	}
	return benchUpdate(ctx, s, ids, func(t *domain.Task) error {
		return t.Succeed(json.RawMessage(`{"message":"hello from the benchmark"}`), time.Now())
	})
}

// benchWorkerPath is the worker's hot path for size short tasks: created, read back, then
// started late and succeeded by one compare-and-swap hinted with the version read.
func benchWorkerPath(ctx context.Context, s benchDB, size int) error {
	ids, err := benchCreate(ctx, s, size)
	if err != nil {
		return err
	}
	read, err := s.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	changes := make([]domain.TaskChange, len(read))
	for i, task := range read {
		ls := &domain.LateStart{Seen: task, Holder: "d", Worker: domain.WorkerID{Host: "bench", PID: 1}, At: time.Now()}
		changes[i] = domain.TaskChange{ID: task.ID, Seen: &ls.Seen, Apply: ls.Then(func(t *domain.Task) error {
			return t.Succeed(json.RawMessage(`{"message":"hello from the benchmark"}`), time.Now())
		})}
	}
	results, err := s.UpdateMany(ctx, changes)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			return r.Err
		}
		if r.Task.Status != domain.StatusSucceeded {
			return fmt.Errorf("task %s is %s after its hinted finish", r.Task.ID, r.Task.Status)
		}
	}
	return nil
}
