package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.ArtifactStore = (*ArtifactStore)(nil)

var artifactColumns = []string{
	"id", "task_id", "type", "content_type", "size_bytes", "sha256", "created_at", "metadata",
}

// insertArtifact writes the row while holding the shared lock of its blob (blobLock), so
// that it never commits between retention's "nothing references these bytes" and their
// deletion (see RetentionStore.ReleaseBlob): it commits before that check, which then sees
// it, or after the deletion, and then the artifact service finds the bytes gone and puts
// them again. Shared, so artifacts of the same bytes never wait for each other. One
// statement: the CTE takes the lock, the insert reads its row, the commit releases it.
var insertArtifact = `WITH blob_lock AS (SELECT pg_advisory_xact_lock_shared(` + blobLock(`$6::text`) + `))
INSERT INTO artifacts (` + columnList(artifactColumns) + `)
SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::bigint, $6::text, $7::timestamptz, $8::jsonb FROM blob_lock`

var (
	selectArtifact      = mustSQL(psql.Select(artifactColumns...).From("artifacts").Where("id = ?", nil))
	selectTaskArtifacts = mustSQL(psql.Select(artifactColumns...).From("artifacts").
				Where("task_id = ?", nil).OrderBy("created_at", "id"))
)

// ArtifactStore is the PostgreSQL artifact metadata store.
type ArtifactStore struct {
	db *DB
}

// NewArtifactStore returns an artifact store over db's pool.
func NewArtifactStore(db *DB) *ArtifactStore { return &ArtifactStore{db: db} }

// artifactRow is an artifacts row as pgx scans it.
type artifactRow struct {
	id          string
	taskID      *string
	typ         string
	contentType string
	sizeBytes   int64
	sha256      string
	createdAt   time.Time
	metadata    []byte
}

func (r *artifactRow) dest() []any {
	return []any{&r.id, &r.taskID, &r.typ, &r.contentType, &r.sizeBytes, &r.sha256, &r.createdAt, &r.metadata}
}

func (r *artifactRow) artifact() domain.Artifact {
	a := domain.Artifact{
		ID:          r.id,
		Type:        r.typ,
		ContentType: r.contentType,
		SizeBytes:   r.sizeBytes,
		SHA256:      r.sha256,
		CreatedAt:   r.createdAt.UTC(),
		Metadata:    compactJSON(r.metadata),
	}
	if r.taskID != nil {
		a.TaskID = *r.taskID
	}
	return a
}

// Create stores the metadata. A taken id is an error matching domain.ErrConflict; a TaskID
// naming no task, one matching domain.ErrNotFound.
func (s *ArtifactStore) Create(ctx context.Context, a domain.Artifact) error {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, insertArtifact,
		a.ID, nullString(a.TaskID), a.Type, a.ContentType, a.SizeBytes, a.SHA256, a.CreatedAt, jsonArg(a.Metadata))
	return translate(err)
}

// Get returns the artifact, or an error matching domain.ErrNotFound.
func (s *ArtifactStore) Get(ctx context.Context, id string) (domain.Artifact, error) {
	if !domain.ValidID(id) {
		return domain.Artifact{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	var r artifactRow
	if err := s.db.pool.QueryRow(ctx, selectArtifact, id).Scan(r.dest()...); err != nil {
		return domain.Artifact{}, translate(err)
	}
	return r.artifact(), nil
}

// ListByTask returns the task's artifacts oldest first; empty when there are none.
func (s *ArtifactStore) ListByTask(ctx context.Context, taskID string) ([]domain.Artifact, error) {
	if !domain.ValidID(taskID) {
		return []domain.Artifact{}, nil
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	rows, err := s.db.pool.Query(ctx, selectTaskArtifacts, taskID)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Artifact, error) {
		var r artifactRow
		err := row.Scan(r.dest()...)
		return r.artifact(), err
	})
	if err != nil {
		return nil, translate(err)
	}
	return out, nil
}

// nullString maps "" (no value) to SQL NULL.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
