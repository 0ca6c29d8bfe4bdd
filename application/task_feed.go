package application

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults of TaskFeedConfig.
const (
	DefaultFeedQueueTasks     = 65536
	DefaultFeedPublishTimeout = 2 * time.Second
)

// TaskFeedConfig bounds the publisher.
type TaskFeedConfig struct {
	// QueueTasks is the most changed tasks waiting to be published; beyond it changes are
	// dropped (and counted), never waited for.
	QueueTasks int
	// PublishTimeout bounds one Publish call.
	PublishTimeout time.Duration
}

// TaskFeedDeps are the feed's ports.
type TaskFeedDeps struct {
	Events ports.TaskEvents
	// Observer counts dropped events; nil counts nothing.
	Observer ports.TaskEventObserver
	Log      *slog.Logger
}

// TaskFeed publishes task changes on the task-change feed without ever making a write wait
// or fail: Offer only appends to a bounded queue, and one background loop hands whatever
// has gathered to ports.TaskEvents in one Publish call (so a burst of writes costs one
// message, not one per write), within PublishTimeout. What cannot be queued or published
// is logged as task_event_dropped and counted: the feed is a notification, the record
// stays the truth.
type TaskFeed struct {
	deps TaskFeedDeps
	cfg  TaskFeedConfig

	mu      sync.Mutex
	pending []domain.Task
	// spare is the previous batch's slice, handed back after its Publish returned, so a
	// steady flow of changes reuses two buffers instead of growing a new one per batch.
	spare   []domain.Task
	dropped int // dropped since the loop last reported
	closed  bool
	wake    chan struct{}

	stop context.CancelFunc
	done chan struct{}
}

// NewTaskFeed returns a stopped feed; Start runs its publishing loop. Offers made before
// Start wait in the queue.
func NewTaskFeed(deps TaskFeedDeps, cfg TaskFeedConfig) (*TaskFeed, error) {
	if deps.Events == nil || deps.Log == nil {
		return nil, errors.New("application: NewTaskFeed needs Events and Log")
	}
	if cfg.QueueTasks <= 0 {
		cfg.QueueTasks = DefaultFeedQueueTasks
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = DefaultFeedPublishTimeout
	}
	return &TaskFeed{deps: deps, cfg: cfg, wake: make(chan struct{}, 1)}, nil
}

// Offer queues the tasks (as stored) for publishing and returns at once. The tasks must
// not be changed afterwards: the loop reads them later.
func (f *TaskFeed) Offer(tasks ...domain.Task) {
	if len(tasks) == 0 {
		return
	}
	f.mu.Lock()
	if f.closed || len(f.pending)+len(tasks) > f.cfg.QueueTasks {
		f.dropped += len(tasks)
	} else {
		f.pending = append(f.pending, tasks...)
	}
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// Start runs the publishing loop until Stop. It does not block.
func (f *TaskFeed) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	f.stop, f.done = cancel, make(chan struct{})
	go f.run(ctx)
	return nil
}

// Stop publishes what is queued (within ctx and PublishTimeout) and ends the loop. It is
// idempotent; later offers are dropped.
func (f *TaskFeed) Stop(ctx context.Context) error {
	f.mu.Lock()
	already := f.closed
	f.closed = true
	f.mu.Unlock()
	if already || f.stop == nil {
		return nil
	}
	select {
	case f.wake <- struct{}{}:
	default:
	}
	select {
	case <-f.done:
		return nil
	case <-ctx.Done():
		f.stop()
		<-f.done
		return ctx.Err()
	}
}

func (f *TaskFeed) run(ctx context.Context) {
	defer close(f.done)
	for {
		select {
		case <-f.wake:
		case <-ctx.Done():
			f.publish(ctx) // counts what is left as dropped
			return
		}
		closed := f.publish(ctx)
		if closed {
			return
		}
	}
}

// publish sends everything queued in one call and reports drops; it returns whether the
// feed is closed (then the queue was the last).
func (f *TaskFeed) publish(ctx context.Context) (closed bool) {
	f.mu.Lock()
	batch, dropped := f.pending, f.dropped
	f.pending, f.spare, f.dropped = f.spare[:0], nil, 0
	closed = f.closed
	f.mu.Unlock()
	if len(batch) > 0 {
		pctx, cancel := context.WithTimeout(ctx, f.cfg.PublishTimeout)
		err := f.deps.Events.Publish(pctx, batch)
		cancel()
		clear(batch) // drop the references to params and results
		f.mu.Lock()
		f.spare = batch[:0]
		f.mu.Unlock()
		if err != nil {
			f.report(dropped+len(batch), err)
			return closed
		}
	}
	if dropped > 0 {
		f.report(dropped, errors.New("publish queue full"))
	}
	return closed
}

func (f *TaskFeed) report(n int, err error) {
	f.deps.Log.Warn("task_event_dropped", "count", n, "error", err.Error())
	if f.deps.Observer != nil {
		f.deps.Observer.TaskEventsDropped(n)
	}
}
