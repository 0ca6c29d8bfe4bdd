package memory

import (
	"context"
	"slices"

	"taskrunner/domain"
)

// DeleteTask implements ports.RetentionStore, in the same order as DeleteFinished: the
// task first, then its runs and artifacts.
func (s *RetentionStore) DeleteTask(ctx context.Context, id string) (domain.TaskDeletion, error) {
	if err := ctx.Err(); err != nil {
		return domain.TaskDeletion{}, err
	}
	if err := s.tasks.deleteFinished(id); err != nil {
		return domain.TaskDeletion{}, err
	}
	ids := []string{id}
	before := s.artifacts.taskSums(id)
	return domain.TaskDeletion{
		Runs:      s.runs.forgetTasks(ids),
		Artifacts: s.artifacts.deleteTasksNoting(ids),
		Orphans:   before,
	}, nil
}

// deleteFinished removes the task if it is final.
func (s *TaskStore) deleteFinished(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[id]
	if !ok {
		return notFound("task", id)
	}
	if err := t.Deletable(); err != nil {
		return err
	}
	s.removeLocked([]finishedTask{{id: id}})
	return nil
}

// taskSums is the distinct sha256 values of the task's artifacts, sorted.
func (s *ArtifactStore) taskSums(taskID string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var sums []string
	for _, id := range s.byTask[taskID] {
		sums = append(sums, s.artifacts[id].SHA256)
	}
	slices.Sort(sums)
	return slices.Compact(sums)
}
