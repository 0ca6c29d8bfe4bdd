package postgres

import (
	"context"

	"taskrunner/domain"
)

// selectTasksByID reads a worker's deliveries in one statement: a plain index probe per id.
var selectTasksByID = mustSQL(psql.Select(taskColumns...).From("tasks").Where("id = ANY(?::uuid[])", nil))

// GetMany implements ports.TaskBatchStore: the tasks of the valid ids that exist. An id
// that is no UUID matches no task (as for Get) and never reaches the server, whose uuid
// cast would refuse the whole statement.
func (s *TaskStore) GetMany(ctx context.Context, ids []string) ([]domain.Task, error) {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if domain.ValidID(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return []domain.Task{}, nil
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return s.queryTasks(ctx, selectTasksByID, valid)
}
