package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.RetentionStore = (*RetentionStore)(nil)

// blobLockClass is the first key of every blob's advisory lock ("blob" in ASCII). The
// two-key form keeps these locks apart from single-key advisory locks such as
// golang-migrate's.
const blobLockClass = "1651273570"

// blobLock is the argument list of the advisory lock of the blob whose sha256 is the SQL
// expression sha: the class, and the sha256's hash. Two blobs may share a hash; they then
// only wait for each other now and then.
func blobLock(sha string) string { return blobLockClass + ", hashtext(" + sha + ")" }

// deleteFinished deletes one batch in one statement (one implicit transaction): the
// oldest finished tasks past the cutoff (the partial index of migration 0010 hands them
// over in order), their runs and artifacts, and notes each deleted artifact's sha256 as a
// blob orphan candidate. SKIP LOCKED leaves a task another writer holds (a concurrent
// retention batch in another process, or a late write to the task) for a later batch
// instead of waiting for it. Only the batch's own rows are locked: submits, which insert
// new rows, never wait for it. The candidates are inserted in sha256 order, so two
// batches noting the same blobs take their index entries in the same order and cannot
// deadlock. Written by hand: squirrel has no data-modifying CTEs.
const deleteFinished = `
WITH doomed AS (
    SELECT id FROM tasks
    WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < $1
    ORDER BY finished_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
), gone_runs AS (
    DELETE FROM runs WHERE task_id IN (SELECT id FROM doomed) RETURNING 1
), gone_artifacts AS (
    DELETE FROM artifacts WHERE task_id IN (SELECT id FROM doomed) RETURNING sha256
), noted AS (
    INSERT INTO blob_orphans (sha256)
    SELECT DISTINCT sha256 FROM gone_artifacts ORDER BY sha256
    ON CONFLICT (sha256) DO NOTHING
), gone_tasks AS (
    DELETE FROM tasks WHERE id IN (SELECT id FROM doomed) RETURNING 1
)
SELECT (SELECT count(*) FROM gone_tasks), (SELECT count(*) FROM gone_artifacts), (SELECT count(*) FROM gone_runs)`

const (
	listOrphans    = `SELECT sha256 FROM blob_orphans ORDER BY noted_at, sha256 LIMIT $1`
	lockBlob       = `SELECT pg_advisory_xact_lock(` + blobLockClass + `, hashtext($1::text))`
	orphanNoted    = `SELECT EXISTS (SELECT 1 FROM blob_orphans WHERE sha256 = $1)`
	blobReferenced = `SELECT EXISTS (SELECT 1 FROM artifacts WHERE sha256 = $1)`
	dropOrphan     = `DELETE FROM blob_orphans WHERE sha256 = $1`
)

// RetentionStore is the PostgreSQL ports.RetentionStore.
type RetentionStore struct {
	db *DB
}

// NewRetentionStore returns a retention store over db's pool.
func NewRetentionStore(db *DB) *RetentionStore { return &RetentionStore{db: db} }

// DeleteFinished implements ports.RetentionStore.
func (s *RetentionStore) DeleteFinished(ctx context.Context, q domain.RetentionQuery) (domain.RetentionBatch, error) {
	if q.Limit <= 0 {
		return domain.RetentionBatch{}, errors.New("postgres retention: limit must be positive")
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	var tasks, artifacts, runs int64
	if err := s.db.pool.QueryRow(ctx, deleteFinished, q.Before, q.Limit).Scan(&tasks, &artifacts, &runs); err != nil {
		return domain.RetentionBatch{}, translate(err)
	}
	return domain.RetentionBatch{Tasks: int(tasks), Artifacts: int(artifacts), Runs: int(runs)}, nil
}

// OrphanBlobs implements ports.RetentionStore.
func (s *RetentionStore) OrphanBlobs(ctx context.Context, limit int) ([]string, error) {
	if limit <= 0 {
		return []string{}, nil
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	rows, err := s.db.pool.Query(ctx, listOrphans, limit)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// ReleaseBlob implements ports.RetentionStore. The blob's advisory lock is held from before
// the reference check until after remove, in a transaction that writes nothing but the
// dropped note: insertArtifact waits for it, so no artifact of these bytes commits in
// between. The lock is transaction-scoped, so a connection lost mid-way releases it.
// Holding a transaction open across remove (one S3 delete, bounded by the caller's
// context and the query timeout) only delays artifacts of this very blob.
func (s *RetentionStore) ReleaseBlob(ctx context.Context, sha256 string, remove func(context.Context) error) (bool, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return false, translate(err)
	}
	// After Commit this is a no-op; on every early return it releases the lock.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, lockBlob, sha256); err != nil {
		return false, translate(err)
	}
	var noted, referenced bool
	if err := tx.QueryRow(ctx, orphanNoted, sha256).Scan(&noted); err != nil {
		return false, translate(err)
	}
	if !noted {
		return false, nil
	}
	// READ COMMITTED: this statement's snapshot is taken after the lock was granted, so
	// it sees every artifact committed before.
	if err := tx.QueryRow(ctx, blobReferenced, sha256).Scan(&referenced); err != nil {
		return false, translate(err)
	}
	if !referenced {
		if err := remove(ctx); err != nil {
			return false, err
		}
	}
	if _, err := tx.Exec(ctx, dropOrphan, sha256); err != nil {
		return false, translate(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, translate(err)
	}
	return !referenced, nil
}
