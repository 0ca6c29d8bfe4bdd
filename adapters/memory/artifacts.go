package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.ArtifactStore = (*ArtifactStore)(nil)
	_ ports.Pinger        = (*ArtifactStore)(nil)
)

// ArtifactStore is an in-memory ports.ArtifactStore.
type ArtifactStore struct {
	mu        sync.RWMutex
	artifacts map[string]domain.Artifact
	byTask    map[string][]string // task id -> artifact ids, in creation order
	refs      map[string]int      // sha256 -> artifacts with those bytes, so a blob is freed with its last
	orphans   map[string]uint64   // sha256 -> note order: retention's candidates, see RetentionStore
	noted     uint64              // notes taken so far, to order orphans
}

// NewArtifactStore returns an empty store.
func NewArtifactStore() *ArtifactStore {
	return &ArtifactStore{artifacts: map[string]domain.Artifact{}, byTask: map[string][]string{}, refs: map[string]int{}, orphans: map[string]uint64{}}
}

// Ping always succeeds: there is no backing service.
func (s *ArtifactStore) Ping(context.Context) error { return nil }

// Create stores a copy of a; the id must be a new UUID.
func (s *ArtifactStore) Create(ctx context.Context, a domain.Artifact) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !domain.ValidID(a.ID) {
		return fmt.Errorf("memory artifact store: id %q is not a UUID", a.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.artifacts[a.ID]; ok {
		return fmt.Errorf("memory artifact store: artifact %s exists: %w", a.ID, domain.ErrConflict)
	}
	s.artifacts[a.ID] = cloneArtifact(a)
	s.refs[a.SHA256]++
	if a.TaskID != "" {
		s.byTask[a.TaskID] = append(s.byTask[a.TaskID], a.ID)
	}
	return nil
}

// Get returns a copy of the artifact, or an error matching domain.ErrNotFound.
func (s *ArtifactStore) Get(ctx context.Context, id string) (domain.Artifact, error) {
	if err := ctx.Err(); err != nil {
		return domain.Artifact{}, err
	}
	s.mu.RLock()
	a, ok := s.artifacts[id]
	s.mu.RUnlock()
	if !ok {
		return domain.Artifact{}, notFound("artifact", id)
	}
	return cloneArtifact(a), nil
}

// ListByTask returns copies of the task's artifacts, oldest (CreatedAt, then id) first.
func (s *ArtifactStore) ListByTask(ctx context.Context, taskID string) ([]domain.Artifact, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	ids := s.byTask[taskID]
	out := make([]domain.Artifact, 0, len(ids))
	for _, id := range ids {
		out = append(out, cloneArtifact(s.artifacts[id]))
	}
	s.mu.RUnlock()
	slices.SortStableFunc(out, func(a, b domain.Artifact) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

func cloneArtifact(a domain.Artifact) domain.Artifact {
	a.Metadata = slices.Clone(a.Metadata) // nil stays nil
	return a
}
