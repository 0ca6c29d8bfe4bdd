package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.RunStore = (*RunStore)(nil)
	_ ports.Pinger   = (*RunStore)(nil)
)

// RunStore is an in-memory ports.RunStore.
type RunStore struct {
	mu    sync.RWMutex
	ids   map[string]struct{}
	byKey map[string][]domain.Run // full (scope-prefixed) key -> runs, in record order
}

// NewRunStore returns an empty store.
func NewRunStore() *RunStore {
	return &RunStore{ids: map[string]struct{}{}, byKey: map[string][]domain.Run{}}
}

// Ping always succeeds: there is no backing service.
func (s *RunStore) Ping(context.Context) error { return nil }

// Record stores a copy of the run with its metrics and notes; the id must be a new UUID.
func (s *RunStore) Record(ctx context.Context, r domain.Run) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !domain.ValidID(r.ID) {
		return fmt.Errorf("memory run store: id %q is not a UUID", r.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[r.ID]; ok {
		return fmt.Errorf("memory run store: run %s exists: %w", r.ID, domain.ErrConflict)
	}
	s.ids[r.ID] = struct{}{}
	s.byKey[r.Key] = append(s.byKey[r.Key], cloneRun(r))
	return nil
}

// HasBeenProcessed reports whether a run exists for domain.RunKey(scope, key) and when the
// latest one finished.
func (s *RunStore) HasBeenProcessed(ctx context.Context, scope, key string) (bool, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return false, time.Time{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.latestLocked(domain.RunKey(scope, key))
	if !ok {
		return false, time.Time{}, nil
	}
	return true, r.FinishedAt, nil
}

// LatestRunForKey returns a copy of the run with the newest FinishedAt for the full key.
func (s *RunStore) LatestRunForKey(ctx context.Context, key string) (domain.Run, error) {
	if err := ctx.Err(); err != nil {
		return domain.Run{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.latestLocked(key)
	if !ok {
		return domain.Run{}, notFound("run for key", key)
	}
	return cloneRun(r), nil
}

// latestLocked picks the newest FinishedAt; among equals, the one recorded last.
func (s *RunStore) latestLocked(key string) (domain.Run, bool) {
	runs := s.byKey[key]
	if len(runs) == 0 {
		return domain.Run{}, false
	}
	best := runs[0]
	for _, r := range runs[1:] {
		if !r.FinishedAt.Before(best.FinishedAt) {
			best = r
		}
	}
	return best, true
}

func cloneRun(r domain.Run) domain.Run {
	r.ArtifactIDs = slices.Clone(r.ArtifactIDs)
	r.Metrics = slices.Clone(r.Metrics)
	r.Notes = slices.Clone(r.Notes)
	return r
}
