package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// TestDuplicateDeliveryOfFinishedTasks: 200 tasks run to success; then every id is
// delivered again, as when an ack was lost after the result was written or a reconciler
// requeued a task just as it finished. Each id is enqueued twice, from two processes at
// once, while no worker runs: one by one, as a reconciler requeues, and in batches, as the
// task service pushes a group commit (both are idempotent while the queue holds an id).
//
// What must survive: the first result. Each redelivery is acked and skipped: no handler
// runs again (side effects stay counted once), the stored task does not change, and the
// queue ends empty.
func TestDuplicateDeliveryOfFinishedTasks(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)
	w := s.process(t, "worker")
	w.store = recordingStore{taskStore: w.store, who: "worker", led: led}
	first := s.startWorker(t, w, probe{who: "worker", led: led}, workerConfig(8))
	before := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)

	// No worker runs while the ids go back on the queue, so each is delivered exactly once
	// more however the two enqueues interleave.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, first.Stop(ctx))
	other := s.process(t, "api-2")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, id := range ids {
			if err := api.queue.Enqueue(ctx, domain.QueueItem{TaskID: id}); err != nil {
				t.Errorf("enqueue %s again: %v", id, err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		// Small batches, so they interleave with the single enqueues rather than land
		// all before or all after them.
		const batch = 16
		for k := 0; k < len(ids); k += batch {
			items := make([]domain.QueueItem, 0, batch)
			for _, id := range ids[k:min(k+batch, len(ids))] {
				items = append(items, domain.QueueItem{TaskID: id})
			}
			if err := other.queue.EnqueueMany(ctx, items); err != nil {
				t.Errorf("enqueue %d ids again: %v", len(items), err)
				return
			}
		}
	}()
	wg.Wait()
	depth, err := api.queue.Depth(ctx)
	require.NoError(t, err)
	require.EqualValues(t, len(ids), depth, "an id enqueued twice is queued once")

	w2 := s.process(t, "worker-2")
	w2.store = recordingStore{taskStore: w2.store, who: "worker-2", led: led}
	s.startWorker(t, w2, probe{who: "worker-2", led: led}, workerConfig(8))
	eventually(t, "every redelivery to be skipped", func() (bool, string) {
		n := len(taskIDs(s.logs, "task_duplicate_skipped"))
		return n == len(ids), fmt.Sprintf("%d of %d redeliveries skipped", n, len(ids))
	})
	waitQueueEmpty(t, api.queue, ids)
	after := waitFinished(t, api.store, ids)
	led.settle(t, after)
	skipped := taskIDs(s.logs, "task_duplicate_skipped")
	for _, id := range ids {
		require.Equal(t, domain.StatusSucceeded, after[id].Status)
		require.Len(t, led.get(led.started, id), 1, "task %s: the handler must not run again", id)
		require.Len(t, led.get(led.written, id), 1, "task %s: one result", id)
		require.Equal(t, before[id], after[id], "task %s: the record must not change", id)
		require.Equal(t, 1, skipped[id], "task %s: delivered once more, skipped once", id)
	}
}

// TestDuplicateDeliveryWhileRunning: worker A's heartbeats stop reaching Redis (a network
// partition, or a process stalled longer than its lease), so while A still runs a task its
// lease expires and the queue hands the same id out again, to worker B or to another of
// A's own loops. A's first run of each task is held until a second run of it has started,
// so both really run at once; for even task numbers the second run then waits for the
// first to return (the first result usually lands first), for odd ones it does not.
//
// What must survive: one result per task. Both runs may complete (at-least-once), but the
// record takes exactly one terminal transition; the loser's write is refused (the task is
// no longer running), its delivery is acked away, and the queue ends empty.
func TestDuplicateDeliveryWhileRunning(t *testing.T) {
	t.Parallel()
	s := setup(t)
	led := newLedger()

	api := s.process(t, "api")
	ids := s.submit(t, api, taskCount)
	index := map[string]int{}
	for k, id := range ids {
		index[id] = k
	}
	runs := &overlap{tasks: map[string]*overlapTask{}}
	body := func(who string) func(ctx context.Context, task domain.Task) error {
		return func(ctx context.Context, task domain.Task) error {
			o := runs.of(task.ID)
			switch n := o.starts.Add(1); {
			case n == 1 && who == "worker-a":
				defer o.firstReturned()
				deadline := time.Now().Add(10 * time.Second)
				for o.starts.Load() < 2 && time.Now().Before(deadline) {
					if err := sleepFor(ctx, 5*time.Millisecond); err != nil {
						return err
					}
				}
				return nil
			case n == 1 || index[task.ID]%2 == 1:
				return nil
			default: // a second run, of an even task: let the first return first
				select {
				case <-o.first:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}

	// Worker A runs alone first, so it takes a full load, each task held in its first run.
	const aConcurrency = 40
	a := s.process(t, "worker-a")
	a.queue = &noHeartbeatQueue{taskQueue: a.queue}
	a.store = recordingStore{taskStore: a.store, who: "worker-a", led: led}
	s.startWorker(t, a, probe{who: "worker-a", led: led, body: body("worker-a")}, workerConfig(aConcurrency))
	eventually(t, "worker A to take a full load", func() (bool, string) {
		n := led.count(led.started, "worker-a")
		return n == aConcurrency, fmt.Sprintf("A started %d", n)
	})
	firstLoad := map[string]bool{}
	for _, id := range ids {
		if len(led.get(led.started, id)) > 0 {
			firstLoad[id] = true
		}
	}

	// Worker B: healthy.
	b := s.process(t, "worker-b")
	b.store = recordingStore{taskStore: b.store, who: "worker-b", led: led}
	s.startWorker(t, b, probe{who: "worker-b", led: led, body: body("worker-b")}, workerConfig(8))

	tasks := waitFinished(t, api.store, ids)
	waitQueueEmpty(t, api.queue, ids)
	led.settle(t, tasks)
	var twice int
	wonBy := map[string]int{}
	for _, id := range ids {
		task := tasks[id]
		require.Equal(t, domain.StatusSucceeded, task.Status, "task %s: %+v", id, task.Error)
		written := led.get(led.written, id)
		require.Len(t, written, 1, "task %s must get exactly one result; written by %v", id, written)
		var res struct {
			By string `json:"by"`
		}
		require.NoError(t, json.Unmarshal(task.Result, &res))
		require.Equal(t, written[0], res.By, "task %s: the stored result is the writer's", id)
		started := led.get(led.started, id)
		if firstLoad[id] {
			require.GreaterOrEqual(t, len(started), 2, "task %s: A's lease lapsed mid-run, so it ran again", id)
		}
		if len(started) >= 2 {
			twice++
			wonBy[written[0]]++
		}
	}
	t.Logf("%d of %d tasks ran twice at once; each kept one result (the winners: %v)", twice, len(ids), wonBy)
}

// overlap tracks the runs of each task in TestDuplicateDeliveryWhileRunning.
type overlap struct {
	mu    sync.Mutex
	tasks map[string]*overlapTask
}

type overlapTask struct {
	starts atomic.Int64
	first  chan struct{} // closed when the first run returned
	once   sync.Once
}

func (o *overlapTask) firstReturned() { o.once.Do(func() { close(o.first) }) }

func (o *overlap) of(id string) *overlapTask {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.tasks[id]
	if !ok {
		t = &overlapTask{first: make(chan struct{})}
		o.tasks[id] = t
	}
	return t
}

// noHeartbeatQueue is a queue client whose lease extensions never reach Redis: they fail
// as unavailable, which the worker logs and rides out, so its leases lapse mid-task. Its
// other calls, the batch ones included, go through.
type noHeartbeatQueue struct {
	taskQueue
}

func (q *noHeartbeatQueue) Extend(context.Context, domain.Lease, time.Duration) error {
	return domain.Unavailable("queue", fmt.Errorf("heartbeat lost in the network"))
}
