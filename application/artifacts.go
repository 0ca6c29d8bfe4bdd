package application

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"

	"taskrunner/domain"
	"taskrunner/ports"
)

// maxArtifactTypeLen bounds the free-form artifact type.
const maxArtifactTypeLen = 64

// NewArtifact is the input of ArtifactService.Create.
type NewArtifact struct {
	TaskID      string // "" for a free-standing artifact
	Type        string
	ContentType string
	Data        []byte
	Metadata    json.RawMessage // a JSON object or nil
}

// ArtifactDeps are the ports the artifact service needs.
type ArtifactDeps struct {
	Store ports.ArtifactStore
	Blobs ports.BlobStore
	Tasks ports.TaskStore
	// Limiter counts uploads (AllowUpload) against TASKS_PER_MINUTE.
	Limiter ports.RateLimiter
	Clock   ports.Clock
	IDs     *domain.IDGenerator
	Limits  domain.Limits
	Log     *slog.Logger
}

// ArtifactService stores artifacts: bytes content-addressed in the blob store, metadata in
// the artifact store.
type ArtifactService struct {
	deps ArtifactDeps
}

// NewArtifactService returns the service, or an error naming a missing dependency.
func NewArtifactService(d ArtifactDeps) (*ArtifactService, error) {
	if d.Store == nil || d.Blobs == nil || d.Tasks == nil || d.Limiter == nil || d.Clock == nil || d.IDs == nil || d.Log == nil {
		return nil, errors.New("application: artifact service needs Store, Blobs, Tasks, Limiter, Clock, IDs and Log")
	}
	return &ArtifactService{deps: d}, nil
}

// Create validates and stores an artifact. Bytes over the artifact limit are refused with
// artifact_size_exceeded and the log event artifact_rejected (as every artifact refused for
// its size is, see artifacts_refuse.go); nothing is stored then.
func (s *ArtifactService) Create(ctx context.Context, in NewArtifact) (domain.Artifact, error) {
	if in.Type == "" || len(in.Type) > maxArtifactTypeLen {
		return domain.Artifact{}, domain.InvalidParams("type", "type must be 1 to %d characters", maxArtifactTypeLen)
	}
	if err := domain.CheckText("type", in.Type); err != nil {
		return domain.Artifact{}, err
	}
	// A quoted parameter may hold a NUL that ParseMediaType lets through.
	if err := domain.CheckText("content_type", in.ContentType); err != nil {
		return domain.Artifact{}, err
	}
	if _, _, err := mime.ParseMediaType(in.ContentType); err != nil {
		return domain.Artifact{}, domain.InvalidParams("content_type", "content_type %q is not a media type", in.ContentType)
	}
	meta, err := objectOrEmpty(in.Metadata, "metadata")
	if err != nil {
		return domain.Artifact{}, err
	}
	if err := domain.CheckJSONText("metadata", meta); err != nil {
		return domain.Artifact{}, err
	}
	if max := s.deps.Limits.MaxArtifactBytes(); int64(len(in.Data)) > max {
		s.logRejected(ctx, oversize{taskID: in.TaskID, typ: in.Type, size: int64(len(in.Data)), limit: max, via: viaData})
		return domain.Artifact{}, domain.NewError(domain.CodeArtifactSizeExceeded,
			"artifact is %d bytes; the limit is %d MB", len(in.Data), s.deps.Limits.TaskMaxArtifactMB).
			WithDetail("size_bytes", len(in.Data)).WithDetail("limit_bytes", max)
	}
	if in.TaskID != "" {
		if !domain.ValidID(in.TaskID) {
			return domain.Artifact{}, domain.InvalidParams("task_id", "task_id %q is not a task id", in.TaskID)
		}
		if _, err := s.deps.Tasks.Get(ctx, in.TaskID); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return domain.Artifact{}, domain.InvalidParams("task_id", "task %s does not exist", in.TaskID)
			}
			return domain.Artifact{}, err
		}
	}

	sum := sha256.Sum256(in.Data)
	hexsum := hex.EncodeToString(sum[:])
	key := domain.BlobKey(hexsum)
	if err := s.ensureBlob(ctx, key, in); err != nil {
		return domain.Artifact{}, err
	}
	now := s.deps.Clock.Now()
	a := domain.Artifact{
		ID:          s.deps.IDs.New(now),
		TaskID:      in.TaskID,
		Type:        in.Type,
		ContentType: in.ContentType,
		SizeBytes:   int64(len(in.Data)),
		SHA256:      hexsum,
		CreatedAt:   now,
		Metadata:    meta,
	}
	// Every check that can refuse the artifact has run before the bytes were written. A
	// store failure here (an outage) leaves at most an unreferenced content-addressed blob,
	// never metadata pointing at missing bytes. The blob is not deleted: a concurrent
	// Create of the same bytes may have found it (Exists) and referenced it meanwhile, and
	// a later identical artifact reuses it.
	if err := s.deps.Store.Create(ctx, a); err != nil {
		return domain.Artifact{}, err
	}
	// A store that frees blobs no artifact references (memory mode's retention) may have
	// freed these bytes between the check above and the row that now references them; it
	// frees a blob only under the artifact store's lock, so once the row exists a second
	// look is final. Put them again if they went. The bytes were there a moment ago, so a
	// failure of this look is logged rather than failing an artifact already recorded.
	if err := s.ensureBlob(ctx, key, in); err != nil {
		s.deps.Log.WarnContext(ctx, "artifact_blob_recheck_failed", "artifact_id", a.ID, "error", err.Error())
	}
	return a, nil
}

// ensureBlob puts the artifact's bytes under key unless the blob store has them already
// (the key is their hash, so a blob found there holds the same bytes).
func (s *ArtifactService) ensureBlob(ctx context.Context, key string, in NewArtifact) error {
	exists, err := s.deps.Blobs.Exists(ctx, key)
	if err != nil || exists {
		return err
	}
	return s.deps.Blobs.Put(ctx, domain.BlobPut{Key: key, Body: bytes.NewReader(in.Data), Size: int64(len(in.Data)), ContentType: in.ContentType})
}

// Get returns an artifact's metadata or artifact_not_found.
func (s *ArtifactService) Get(ctx context.Context, id string) (domain.Artifact, error) {
	if !domain.ValidID(id) {
		return domain.Artifact{}, artifactNotFound(id)
	}
	a, err := s.deps.Store.Get(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Artifact{}, artifactNotFound(id)
	}
	return a, err
}

// Open returns the metadata and a stream of the bytes (or of rng, already checked against
// the size by the caller). The caller closes the stream.
func (s *ArtifactService) Open(ctx context.Context, id string, rng *domain.ByteRange) (domain.Artifact, io.ReadCloser, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return domain.Artifact{}, nil, err
	}
	rc, err := s.deps.Blobs.Open(ctx, domain.BlobKey(a.SHA256), rng)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Artifact{}, nil, domain.NewError(domain.CodeInternal, "bytes of artifact %s are missing", id).WithCause(err)
	}
	if err != nil {
		return domain.Artifact{}, nil, err
	}
	return a, rc, nil
}

// ListByTask returns a task's artifacts, or task_not_found.
func (s *ArtifactService) ListByTask(ctx context.Context, taskID string) ([]domain.Artifact, error) {
	if !domain.ValidID(taskID) {
		return nil, taskNotFound(taskID)
	}
	if _, err := s.deps.Tasks.Get(ctx, taskID); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			return nil, taskNotFound(taskID)
		}
		return nil, err
	}
	return s.deps.Store.ListByTask(ctx, taskID)
}

// ReadAll returns an artifact's whole content, for handlers that reuse earlier artifacts.
func (s *ArtifactService) ReadAll(ctx context.Context, id string) (domain.Artifact, []byte, error) {
	a, rc, err := s.Open(ctx, id, nil)
	if err != nil {
		return domain.Artifact{}, nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return a, b, err
}

func artifactNotFound(id string) error {
	return domain.NewError(domain.CodeArtifactNotFound, "artifact %s not found", id).WithCause(domain.ErrNotFound)
}

func taskNotFound(id string) error {
	return domain.NewError(domain.CodeTaskNotFound, "task %s not found", id).WithCause(domain.ErrNotFound)
}

// objectOrEmpty checks that raw is a JSON object (or absent/null, which becomes {}).
func objectOrEmpty(raw json.RawMessage, field string) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return json.RawMessage("{}"), nil
	}
	if trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, domain.InvalidRequest(field, "%s must be a JSON object", field)
	}
	return json.RawMessage(trimmed), nil
}
