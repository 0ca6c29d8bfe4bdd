package application

import (
	"context"
	"errors"
	"time"

	"taskrunner/domain"
)

// Submit group commit: concurrent submits are inserted in one statement and pushed to the
// queue in one call, each answered once its batch is committed (a 202 still means the
// record is durable). Batches form only while a flush is in flight, so an idle system
// writes each submit at once.
const (
	maxSubmitBatch = 256
	// submitFlushSlots is how many batches may be on the wire at once. One gives the
	// largest batches; two measured no faster under make bench-services.
	submitFlushSlots = 1
	// submitFlushTimeout bounds one batch's writes; the store adds its own statement
	// timeout beneath it.
	submitFlushTimeout = 15 * time.Second
)

// submitted is one task's outcome in a submit batch.
type submitted struct {
	task    domain.Task
	created bool
	err     error
}

// batchSubmits returns the group committer when the deps ask for it and offer batch
// writes, else nil.
func batchSubmits(d TaskDeps, flush func(context.Context, []domain.Task) []submitted) *groupCommit[domain.Task, submitted] {
	if !d.GroupCommit || d.Batch == nil || d.BatchQueue == nil {
		return nil
	}
	return newGroupCommit(context.Background(), maxSubmitBatch, submitFlushSlots, flush).lingering(batchLinger)
}

// create records t and queues it: through the group committer when there is one.
func (s *TaskService) create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	if s.commit == nil {
		return s.createOne(ctx, t)
	}
	r, err := s.commit.do(ctx, t)
	if err != nil {
		return domain.Task{}, false, err
	}
	return r.task, r.created, r.err
}

// createOne is the unbatched path: one INSERT, one push.
func (s *TaskService) createOne(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	stored, created, err := s.deps.Store.Create(ctx, t)
	if err != nil || !created {
		return stored, created, err
	}
	// The record is written; if the push fails the reconciler queues the task later, so the
	// client still gets its 202 and the task is not lost.
	if err := s.deps.Queue.Enqueue(ctx, stored.QueueItem()); err != nil {
		s.deps.Log.WarnContext(ctx, "task_enqueue_deferred", "task_id", stored.ID, "error", err.Error())
	}
	return stored, true, nil
}

// flushSubmits writes one batch: one multi-row INSERT, then one push of every created id.
func (s *TaskService) flushSubmits(base context.Context, tasks []domain.Task) []submitted {
	ctx, cancel := context.WithTimeout(base, submitFlushTimeout)
	defer cancel()
	out := make([]submitted, len(tasks))
	res, err := s.deps.Batch.CreateMany(ctx, tasks)
	if errors.Is(err, domain.ErrInvalidValue) && len(tasks) > 1 {
		// One task's data was refused and took the statement with it: write each alone,
		// so only that one is refused.
		for i, t := range tasks {
			out[i].task, out[i].created, out[i].err = s.createOne(ctx, t)
		}
		return out
	}
	if err != nil {
		for i := range out {
			out[i].err = err
		}
		return out
	}
	for i, r := range res {
		out[i] = submitted{task: r.Task, created: r.Created}
	}
	s.pushCreated(ctx, res)
	return out
}

// pushCreated puts the ids of the tasks res created on the queue in one call. A failed
// push is logged per task and left to the reconciler, as in createOne: the records are
// written, so the tasks are not lost.
func (s *TaskService) pushCreated(ctx context.Context, res []domain.CreateResult) {
	items := make([]domain.QueueItem, 0, len(res))
	for _, r := range res {
		if r.Created {
			items = append(items, r.Task.QueueItem())
		}
	}
	if len(items) == 0 {
		return
	}
	if err := s.deps.BatchQueue.EnqueueMany(ctx, items); err != nil {
		for _, it := range items {
			s.deps.Log.WarnContext(ctx, "task_enqueue_deferred", "task_id", it.TaskID, "error", err.Error())
		}
	}
}
