package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// selectTasksByID reads a worker's deliveries in one statement: a primary-key probe per id.
var selectTasksByID = mustSQL(psql.Select(taskColumns...).From("tasks").Where("id = ANY(?"+uuidArray+")", nil))

// GetMany implements ports.TaskBatchStore: the tasks of the valid ids that exist. An id
// that is no UUID matches no task (as for Get) and never reaches the server, whose uuid
// cast would refuse the whole statement. The read runs in a transaction opened as a batch
// update opens it (queueBegin), all in one round trip, so that it is planned for this
// array and probes the primary key even where the table's statistics lag its growth.
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
	b := &pgx.Batch{}
	begun := queueBegin(b)
	b.Queue(selectTasksByID, valid)
	b.Queue("commit")
	br := s.db.pool.SendBatch(ctx, b)
	defer abandonBatch(br)
	for range begun {
		if _, err := br.Exec(); err != nil {
			return nil, translate(err)
		}
	}
	rows, err := br.Query()
	tasks, err := scanTasksSized(len(valid), rows, err)
	if err != nil {
		return nil, err
	}
	if _, err := br.Exec(); err != nil {
		return nil, translate(err)
	}
	return tasks, translate(br.Close())
}
