package ports

import (
	"context"

	"taskrunner/domain"
)

// RetentionStore forgets finished work past its retention: tasks with their artifacts'
// metadata and runs, and then, one by one, the blobs that lost their last artifact.
// Any number of processes may call it at once: each batch takes tasks no other batch holds,
// and a blob is released by one caller only.
type RetentionStore interface {
	// DeleteFinished deletes up to q.Limit tasks in a final state whose FinishedAt is
	// strictly before q.Before, those that finished first first, together with their
	// artifacts' metadata and their runs, all or nothing. Tasks that are not finished are
	// never touched. The sha256 of every artifact deleted is noted as an orphan candidate
	// (durably, with the deletion) for ReleaseBlob. It returns what it deleted; Tasks is 0
	// when no task is past the cutoff.
	DeleteFinished(ctx context.Context, q domain.RetentionQuery) (domain.RetentionBatch, error)
	// OrphanBlobs returns up to limit noted orphan candidates (sha256 values), oldest
	// note first; empty (not an error) when there are none.
	OrphanBlobs(ctx context.Context, limit int) ([]string, error)
	// ReleaseBlob settles the candidate sha256. While no artifact with that sha256 can be
	// created (the artifact store's Create waits meanwhile), it checks whether any artifact
	// references it: if none does, it calls remove (which deletes the bytes) and reports
	// freed; either way the note is then dropped. When remove fails, its error is returned
	// and the note kept for a later pass. A sha256 that is not noted (another caller
	// settled it) returns false without calling remove.
	ReleaseBlob(ctx context.Context, sha256 string, remove func(context.Context) error) (freed bool, err error)
	// DeleteTask deletes the task id as DeleteFinished deletes a batch (artifacts'
	// metadata and runs with it, their sha256 values noted as orphan candidates, all or
	// nothing), whenever it finished. It returns what went, Orphans listing the noted
	// sha256 values; an error matching domain.ErrNotFound when no task has the id; and the
	// task's Deletable error (matching domain.ErrConflict) when it is not final.
	DeleteTask(ctx context.Context, id string) (domain.TaskDeletion, error)
}

// RetentionObserver is told what each retention batch removed, for metrics. It must not
// block.
type RetentionObserver interface {
	// RetentionRemoved adds to the counts of removed tasks, artifacts and blobs.
	RetentionRemoved(tasks, artifacts, blobs int)
}
