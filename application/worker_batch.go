package application

import (
	"context"
	"errors"
	"time"

	"taskrunner/domain"
)

// The worker's round trips, group-committed when the deps offer batch ports: idle loops
// share one blocking dequeue that leases as many ids as loops are waiting (never more than
// free slots) and reads their tasks from the store right after; starts and finishes of
// concurrent tasks go to the store in one statement, and the acks of the tasks it ended
// to the queue in one call right after its commit (other acks have a batch of their own).
// Each loop still handles its own delivery from start to ack, so every guarantee of the
// single-call path holds per task; only the transport is shared. Without batch ports
// every call goes alone.
type workerBatches struct {
	fetch   *groupCommit[struct{}, fetched]
	updates *groupCommit[updateCall, domain.ChangeResult]
	acks    *groupCommit[domain.Lease, error]
}

// fetched is one loop's share of a batch dequeue: a lease, or none (look again), or the
// dequeue's error. read is the lease's task as stored, read by the same flush, when its
// start may be late (see begin); nil otherwise.
type fetched struct {
	lease domain.Lease
	read  *readResult
	ok    bool
	err   error
}

// newWorkerBatches builds the batchers, or returns nil when the deps have no batch ports.
func (w *Worker) newWorkerBatches() *workerBatches {
	if w.deps.Batch == nil || w.deps.BatchQueue == nil {
		return nil
	}
	n := w.cfg.Concurrency
	b := &workerBatches{
		// One call of each kind at a time: loops that arrive meanwhile join the next
		// batch, which keeps batches large (two slots measured slower under load). One
		// dequeue blocks at a time; loops that go idle meanwhile join the next one.
		fetch:   newGroupCommit(w.runCtx, n, 1, w.flushFetch).lingering(batchLinger),
		updates: newGroupCommit(w.abortCtx, pendingOutcomes(n), 1, w.flushUpdates).lingering(batchLinger),
		acks:    newGroupCommit(w.abortCtx, n, 1, w.flushAcks).lingering(batchLinger),
	}
	// A loop that stopped waiting (shutdown) leaves its lease to nobody: give it back.
	b.fetch.abandoned = func(f fetched) {
		if f.ok {
			w.release(f.lease, time.Time{})
		}
	}
	return b
}

// dequeue waits for the loop's next lease, and returns with it the task as the batch read
// it (nil when it was not read).
func (w *Worker) dequeue() (domain.Lease, *readResult, error) {
	if w.batches == nil {
		l, err := w.deps.Queue.Dequeue(w.runCtx, w.cfg.Lease)
		return l, nil, err
	}
	for {
		f, err := w.batches.fetch.do(w.runCtx, struct{}{})
		switch {
		case err != nil:
			return domain.Lease{}, nil, err
		case f.err != nil:
			return domain.Lease{}, nil, f.err
		case f.ok:
			return f.lease, f.read, nil
		}
	}
}

// flushFetch leases up to one id per waiting loop and reads the tasks whose start may be
// late in the same flush: one store round trip per dequeue, and no second hand-off per
// task between the loops and the read batch.
func (w *Worker) flushFetch(ctx context.Context, reqs []struct{}) []fetched {
	out := make([]fetched, len(reqs))
	leases, err := w.deps.BatchQueue.DequeueMany(ctx, len(reqs), w.cfg.Lease)
	if err != nil {
		for i := range out {
			out[i].err = err
		}
		return out
	}
	leases = leases[:min(len(leases), len(out))]
	var ids []string
	for i, l := range leases {
		out[i] = fetched{lease: l, ok: true}
		if !l.Redelivered {
			ids = append(ids, l.TaskID)
		}
	}
	if len(ids) == 0 {
		return out
	}
	reads := w.readMany(w.abortCtx, ids)
	k := 0
	for i := range leases {
		if !out[i].lease.Redelivered {
			out[i].read = &reads[k]
			k++
		}
	}
	return out
}

// updateCall is one transition for the update batch. ackOnEnd, when set, is the delivery's
// lease, acked by the same flush right after the write commits if the write ended the task
// (see endAck).
type updateCall struct {
	change   domain.TaskChange
	ackOnEnd *domain.Lease
}

// endAck is the outcome of a lease acked by the flush that wrote its task's end; the
// delivery's own ack takes it instead of calling the queue (see ack).
type endAck struct{ err error }

// update applies one transition to the record: batched with other loops' when it can be
// (then the change's hints let the store skip reading the row).
func (w *Worker) update(c domain.TaskChange) (domain.Task, error) {
	return w.updateEnding(c, nil)
}

// updateEnding is update that, batched, also acks lease when the change ends the task:
// the ack every ending is followed by, without a second hand-off to the ack batch.
func (w *Worker) updateEnding(c domain.TaskChange, lease *domain.Lease) (domain.Task, error) {
	if w.batches == nil {
		ctx, done := w.opCtx()
		defer done()
		return w.deps.Store.Update(ctx, c.ID, c.Apply)
	}
	r, err := w.batches.updates.do(w.abortCtx, updateCall{change: c, ackOnEnd: lease})
	if err != nil {
		return domain.Task{}, err
	}
	return r.Task, r.Err
}

// flushUpdates writes a batch of transitions, then acks in one call the leases of the
// tasks the batch ended (ackOnEnd).
func (w *Worker) flushUpdates(base context.Context, reqs []updateCall) []domain.ChangeResult {
	changes := make([]domain.TaskChange, len(reqs))
	for i, r := range reqs {
		changes[i] = r.change
	}
	out := w.writeChanges(base, changes)
	var leases []domain.Lease
	for i, r := range reqs {
		if r.ackOnEnd != nil && out[i].Err == nil && out[i].Task.Status.Terminal() {
			leases = append(leases, *r.ackOnEnd)
		}
	}
	if len(leases) == 0 {
		return out
	}
	for k, err := range w.flushAcks(base, leases) {
		w.endAcks.Store(leases[k].Token, endAck{err: err})
	}
	return out
}

// writeChanges writes a batch of transitions. The batch port wants distinct ids; the same
// id twice (a start of a new delivery and the late finish of a lapsed one) goes in a
// second round, in arrival order.
func (w *Worker) writeChanges(base context.Context, changes []domain.TaskChange) []domain.ChangeResult {
	out := make([]domain.ChangeResult, len(changes))
	pending := make([]int, len(changes))
	for i := range pending {
		pending[i] = i
	}
	for len(pending) > 0 {
		seen := make(map[string]bool, len(pending))
		var round, later []int
		for _, i := range pending {
			if seen[changes[i].ID] {
				later = append(later, i)
				continue
			}
			seen[changes[i].ID] = true
			round = append(round, i)
		}
		batch := make([]domain.TaskChange, len(round))
		for k, i := range round {
			batch[k] = changes[i]
		}
		ctx, done := context.WithTimeout(base, w.cfg.OpTimeout)
		res, err := w.deps.Batch.UpdateMany(ctx, batch)
		if errors.Is(err, domain.ErrInvalidValue) && len(batch) > 1 {
			// One task's outcome holds a value the store refuses, and it took the whole
			// statement with it: write each alone, so only that one is refused.
			res, err = w.updateEach(ctx, batch), nil
		}
		done()
		for k, i := range round {
			if err != nil {
				out[i].Err = err
			} else {
				out[i] = res[k]
			}
		}
		pending = later
	}
	return out
}

// updateEach writes the changes one statement each.
func (w *Worker) updateEach(ctx context.Context, changes []domain.TaskChange) []domain.ChangeResult {
	out := make([]domain.ChangeResult, len(changes))
	for i, c := range changes {
		out[i].Task, out[i].Err = w.deps.Store.Update(ctx, c.ID, c.Apply)
	}
	return out
}

func (w *Worker) flushAcks(base context.Context, leases []domain.Lease) []error {
	out := make([]error, len(leases))
	ctx, done := context.WithTimeout(base, w.cfg.OpTimeout)
	defer done()
	lost, err := w.deps.BatchQueue.AckMany(ctx, leases)
	if err != nil {
		for i := range out {
			out[i] = err
		}
		return out
	}
	gone := make(map[domain.Lease]bool, len(lost))
	for _, l := range lost {
		gone[l] = true
	}
	for i, l := range leases {
		if gone[l] {
			out[i] = domain.ErrLeaseLost
		}
	}
	return out
}
