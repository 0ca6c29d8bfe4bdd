package application

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskDeletionDeps are the ports DELETE /tasks/{id} needs: the retention store, whose
// deletion and orphan-blob release it shares with the retention rule, and the blobs.
type TaskDeletionDeps struct {
	Store    ports.RetentionStore
	Blobs    ports.BlobStore
	Observer ports.RetentionObserver // nil: no metrics
	Log      *slog.Logger
}

// TaskDeletion deletes one finished task on request, the way retention deletes old ones.
type TaskDeletion struct {
	deps TaskDeletionDeps
}

// NewTaskDeletion returns the service, or an error naming a missing dependency.
func NewTaskDeletion(d TaskDeletionDeps) (*TaskDeletion, error) {
	if d.Store == nil || d.Blobs == nil || d.Log == nil {
		return nil, errors.New("application: task deletion needs Store, Blobs and Log")
	}
	return &TaskDeletion{deps: d}, nil
}

// releaseTimeout bounds the release of one blob after a delete.
const releaseTimeout = 10 * time.Second

// Delete deletes a final task with its artifacts' metadata and runs, then releases the
// blobs that lost their last artifact with it. A task not yet final is task_not_finished
// (409); an unknown one task_not_found. The deletion is the answer: a blob that cannot be
// released now keeps its note, and the next retention pass releases it.
func (d *TaskDeletion) Delete(ctx context.Context, id string) error {
	if !domain.ValidID(id) {
		return taskNotFound(id)
	}
	gone, err := d.deps.Store.DeleteTask(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return taskNotFound(id)
	}
	if err != nil {
		return err
	}
	freed := 0
	for _, sum := range gone.Orphans {
		ok, err := releaseBlob(ctx, d.deps.Store, d.deps.Blobs, sum, releaseTimeout)
		if err != nil {
			d.deps.Log.WarnContext(ctx, "blob_release_deferred", "sha256", sum, "error", err.Error())
			break
		}
		if ok {
			freed++
		}
	}
	if d.deps.Observer != nil {
		d.deps.Observer.RetentionRemoved(1, gone.Artifacts, freed)
	}
	d.deps.Log.InfoContext(ctx, "task_deleted", "task_id", id, "artifacts", gone.Artifacts, "runs", gone.Runs, "blobs", freed)
	return nil
}
