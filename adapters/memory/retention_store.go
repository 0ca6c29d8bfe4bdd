package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.RetentionStore = (*RetentionStore)(nil)

// RetentionStore is memory mode's ports.RetentionStore over the three stores it forgets
// from. It is apart from RetainingTaskStore's count cap (MEMORY_MAX_FINISHED_TASKS), which
// keeps bounding memory as before; the two remove tasks the same way.
type RetentionStore struct {
	tasks     *TaskStore
	artifacts *ArtifactStore
	runs      *RunStore
}

// NewRetentionStore returns the retention store over the given stores.
func NewRetentionStore(tasks *TaskStore, artifacts *ArtifactStore, runs *RunStore) *RetentionStore {
	return &RetentionStore{tasks: tasks, artifacts: artifacts, runs: runs}
}

// DeleteFinished implements ports.RetentionStore. Each store changes under its own lock,
// tasks first: a reader may briefly see a deleted task's artifacts, never the reverse of
// an artifact whose task is still listed as kept.
func (s *RetentionStore) DeleteFinished(ctx context.Context, q domain.RetentionQuery) (domain.RetentionBatch, error) {
	if err := ctx.Err(); err != nil {
		return domain.RetentionBatch{}, err
	}
	if q.Limit <= 0 {
		return domain.RetentionBatch{}, errors.New("memory retention: limit must be positive")
	}
	ids := s.tasks.deleteFinishedBefore(q.Before, q.Limit)
	if len(ids) == 0 {
		return domain.RetentionBatch{}, nil
	}
	return domain.RetentionBatch{
		Tasks:     len(ids),
		Runs:      s.runs.forgetTasks(ids),
		Artifacts: s.artifacts.deleteTasksNoting(ids),
	}, nil
}

// OrphanBlobs implements ports.RetentionStore.
func (s *RetentionStore) OrphanBlobs(ctx context.Context, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a := s.artifacts
	a.mu.RLock()
	out := make([]string, 0, len(a.orphans))
	for sum := range a.orphans {
		out = append(out, sum)
	}
	slices.SortFunc(out, func(x, y string) int { return cmp.Compare(a.orphans[x], a.orphans[y]) })
	a.mu.RUnlock()
	return out[:min(len(out), max(limit, 0))], nil
}

// ReleaseBlob implements ports.RetentionStore. The artifact store's lock is held throughout,
// remove included, so no artifact with these bytes is created between the check and the
// removal; one created right after finds the bytes gone and puts them again
// (application.ArtifactService.Create).
func (s *RetentionStore) ReleaseBlob(ctx context.Context, sha256 string, remove func(context.Context) error) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	a := s.artifacts
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.orphans[sha256]; !ok {
		return false, nil
	}
	freed := a.refs[sha256] == 0
	if freed {
		if err := remove(ctx); err != nil {
			return false, err
		}
	}
	delete(a.orphans, sha256)
	return freed, nil
}

// deleteTasksNoting removes the artifacts of the given tasks and notes each one's sha256
// as an orphan candidate; it returns how many artifacts went.
func (s *ArtifactStore) deleteTasksNoting(taskIDs []string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, task := range taskIDs {
		for _, id := range s.byTask[task] {
			a := s.artifacts[id]
			delete(s.artifacts, id)
			n++
			if s.refs[a.SHA256]--; s.refs[a.SHA256] <= 0 {
				delete(s.refs, a.SHA256)
			}
			if _, ok := s.orphans[a.SHA256]; !ok {
				s.noted++
				s.orphans[a.SHA256] = s.noted
			}
		}
		delete(s.byTask, task)
	}
	return n
}
