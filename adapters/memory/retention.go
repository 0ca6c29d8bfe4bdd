package memory

import (
	"context"
	"log/slog"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.TaskStore = (*RetainingTaskStore)(nil)
	_ ports.Pinger    = (*RetainingTaskStore)(nil)
)

// Retention bounds what memory mode keeps (MEMORY_MAX_FINISHED_TASKS).
type Retention struct {
	// MaxFinished is how many finished tasks are kept at most; 0 keeps every task.
	MaxFinished int
	// Artifacts, Blobs and Runs are the stores that lose an evicted task's artifacts, the
	// blobs no other artifact references, and its runs. Each may be nil.
	Artifacts *ArtifactStore
	Blobs     *BlobStore
	Runs      *RunStore
	// Log receives memory_tasks_evicted; nil discards it.
	Log *slog.Logger
}

// RetainingTaskStore is memory mode's task store: a TaskStore that keeps at most
// Retention.MaxFinished finished tasks. When a write takes it past the cap, the tasks that
// finished first go (a tenth of the cap at once, so the cost of the sweep is shared by many
// writes), and with them their artifacts, their runs and every blob no remaining artifact
// references. Tasks that are not finished are never evicted. An evicted task is gone as if
// it never was: its id answers 404 and its idempotency key is free again.
type RetainingTaskStore struct {
	*TaskStore
	r    Retention
	keep int // how many finished tasks a sweep leaves
}

// NewRetainingTaskStore wraps tasks with the retention r.
func NewRetainingTaskStore(tasks *TaskStore, r Retention) *RetainingTaskStore {
	return &RetainingTaskStore{TaskStore: tasks, r: r, keep: r.MaxFinished - r.MaxFinished/10}
}

// Create stores t (TaskStore.Create), then applies the cap.
func (s *RetainingTaskStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	stored, created, err := s.TaskStore.Create(ctx, t)
	if err == nil && created {
		s.enforce(ctx)
	}
	return stored, created, err
}

// Update applies fn (TaskStore.Update), then the cap when the task is now finished.
func (s *RetainingTaskStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	t, err := s.TaskStore.Update(ctx, id, fn)
	if err == nil && t.Status.Terminal() {
		s.enforce(ctx)
	}
	return t, err
}

// enforce evicts when there are more finished tasks than the cap.
func (s *RetainingTaskStore) enforce(ctx context.Context) {
	if s.r.MaxFinished <= 0 || s.finishedCount() <= int64(s.r.MaxFinished) {
		return
	}
	ids := s.evictFinished(s.keep)
	if len(ids) == 0 {
		return
	}
	if s.r.Runs != nil {
		s.r.Runs.forgetTasks(ids)
	}
	var artifacts, blobs int
	if s.r.Artifacts != nil {
		artifacts, blobs = s.r.Artifacts.deleteTasks(ids, s.r.Blobs)
	}
	if s.r.Log != nil {
		s.r.Log.InfoContext(ctx, "memory_tasks_evicted", "tasks", len(ids), "artifacts", artifacts,
			"blobs", blobs, "max_finished", s.r.MaxFinished)
	}
}
