package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"taskrunner/domain"
)

// MaxBatchTasks is the most tasks one batch submit may hold (API.md, POST /tasks/batch).
const MaxBatchTasks = 1000

// batchPushTimeout bounds the queue push of a committed batch. The push outlives the
// request's own cancellation: the rows are written, and a push abandoned because the
// client went away would leave every task of the batch to the reconciler.
const batchPushTimeout = 15 * time.Second

// errBatchUnwired is a wiring bug, answered as an internal error: a batch submit promises
// all or none, which only a store that writes many tasks in one statement can keep.
var errBatchUnwired = errors.New("application: batch submit needs TaskDeps.Batch and TaskDeps.BatchQueue")

// CheckBatchSize refuses a batch of n tasks outside 1..MaxBatchTasks with
// task_rejected_invalid_params naming tasks. The HTTP adapter calls it before it decodes
// the tasks one by one, so an oversized batch costs no work; SubmitBatch calls it again.
func CheckBatchSize(n int) error {
	if n < 1 || n > MaxBatchTasks {
		return domain.InvalidParams("tasks", "tasks must hold 1 to %d tasks, got %d", MaxBatchTasks, n)
	}
	return nil
}

// SubmitBatch submits many tasks as one: all of them are created, or none is. It
// validates every input first (the first invalid one refuses the batch, its error naming
// the index and the field), resolves idempotent replays, takes one rate-limit slot per
// task it creates (all at once: a client with fewer slots left gets rate_limit_exceeded
// and nothing is created), writes the new tasks in one CreateMany and pushes them in one
// EnqueueMany. The results are in input order; a replay holds the earlier task with
// Created false, and so does an input repeating the idempotency key of an earlier input
// of the same batch (it gets that input's task). A key whose earlier task (stored or in
// the batch) asked for something else refuses the batch with idempotency_key_conflict,
// details.index naming the input. Replays take no slot, as with Submit.
//
// Every input must come from one client (ClientID, IdempotencyScope): the batch is
// charged to it. A failed push is logged as task_enqueue_deferred per task and left to
// the reconciler, as for Submit.
//
// The batch ports are required: without TaskDeps.Batch and TaskDeps.BatchQueue there is
// no way to write all or none, so SubmitBatch refuses with an internal error rather than
// quietly creating tasks one by one, which a failure half-way would leave half done.
func (s *TaskService) SubmitBatch(ctx context.Context, ins []SubmitInput) ([]domain.CreateResult, error) {
	if err := CheckBatchSize(len(ins)); err != nil {
		return nil, err
	}
	if s.deps.Batch == nil || s.deps.BatchQueue == nil {
		return nil, errBatchUnwired
	}
	tasks := make([]domain.Task, len(ins))
	for i, in := range ins {
		if in.ClientID != ins[0].ClientID || in.IdempotencyScope != ins[0].IdempotencyScope {
			return nil, fmt.Errorf("application: batch submit: input %d comes from another client than input 0", i)
		}
		t, err := s.prepare(in)
		if err != nil {
			return nil, domain.ItemError(err, "tasks", i)
		}
		tasks[i] = t
	}
	out, fresh, err := s.resolveReplays(ctx, tasks)
	if err != nil {
		return nil, err
	}
	if len(fresh) > 0 {
		if err := s.allow(ctx, ins[0].ClientID, len(fresh)); err != nil {
			return nil, err
		}
		if err := s.createBatch(ctx, tasks, fresh, out); err != nil {
			return nil, err
		}
	}
	// Inputs that repeat a key of an earlier input take its outcome, now that it is known.
	for i := range out {
		if j := out[i].owner; j != i {
			out[i].CreateResult = domain.CreateResult{Task: out[j].Task}
		}
	}
	results := make([]domain.CreateResult, len(out))
	for i, o := range out {
		results[i] = o.CreateResult
	}
	return results, nil
}

// submitEntry is one input's outcome while a batch is resolved. owner is the index of the
// input whose task this one gets: itself, or the first input of the batch with the same
// idempotency key.
type submitEntry struct {
	domain.CreateResult
	owner int
}

// resolveReplays finds the inputs that create nothing: a key already stored (its task is
// filled in) or a key repeated from an earlier input (owner points there). fresh lists
// the inputs left to create, in order. Each distinct key costs one lookup (the TaskStore
// port reads one key at a time); they are what keeps replays from taking rate-limit
// slots, and batches without keys pay none.
func (s *TaskService) resolveReplays(ctx context.Context, tasks []domain.Task) (out []submitEntry, fresh []int, err error) {
	out = make([]submitEntry, len(tasks))
	firstWithKey := map[string]int{}
	for i, t := range tasks {
		out[i].owner = i
		if t.IdempotencyKey == "" {
			fresh = append(fresh, i)
			continue
		}
		if j, ok := firstWithKey[t.IdempotencyKey]; ok {
			if !domain.SameRequest(&tasks[j], &tasks[i]) {
				return nil, nil, domain.ItemError(domain.IdempotencyConflict(&tasks[j]).
					WithDetail("conflicts_with_index", j), "tasks", i)
			}
			out[i].owner = j
			continue
		}
		firstWithKey[t.IdempotencyKey] = i
		prior, err := s.deps.Store.GetByIdempotencyKey(ctx, t.IdempotencyKey)
		switch {
		case err == nil:
			if _, _, err := replay(prior, t); err != nil {
				return nil, nil, domain.ItemError(err, "tasks", i)
			}
			out[i].Task = prior
		case errors.Is(err, domain.ErrNotFound):
			fresh = append(fresh, i)
		default:
			return nil, nil, err
		}
	}
	return out, fresh, nil
}

// createBatch writes the fresh inputs' tasks in one statement and pushes the created ones
// in one call, filling in their outcomes. A key taken since resolveReplays looked (by a
// concurrent submit) comes back as that submit's task, Created false.
func (s *TaskService) createBatch(ctx context.Context, tasks []domain.Task, fresh []int, out []submitEntry) error {
	batch := make([]domain.Task, len(fresh))
	for k, i := range fresh {
		batch[k] = tasks[i]
	}
	res, err := s.deps.Batch.CreateMany(ctx, batch)
	if err != nil {
		return err
	}
	if len(res) != len(batch) {
		return fmt.Errorf("application: CreateMany returned %d results for %d tasks", len(res), len(batch))
	}
	for k, i := range fresh {
		if !res[k].Created {
			if _, _, err := replay(res[k].Task, tasks[i]); err != nil {
				// A concurrent submit took the key, with another request, between the
				// lookup and this write. The batch's other tasks are written already, so a
				// 409 now would leave the batch half done: all-or-none wins, the slot gets
				// the key's task, and the race is logged. (A single submit, which writes
				// nothing else, answers the conflict; see TaskService.submit.)
				s.deps.Log.WarnContext(ctx, "idempotency_key_conflict_raced", "task_id", res[k].Task.ID, "index", i)
			}
		}
		out[i].CreateResult = res[k]
		if res[k].Created {
			s.deps.Log.DebugContext(ctx, "task_submitted", "task_id", res[k].Task.ID, "type", string(res[k].Task.Type))
		}
	}
	pushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchPushTimeout)
	defer cancel()
	s.pushCreated(pushCtx, res)
	return nil
}
