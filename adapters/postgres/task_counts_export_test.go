package postgres

import (
	"context"

	"taskrunner/domain"
)

// RecountTasks counts the tasks per (type, status) with a GROUP BY over every row: what
// the counters CountByTypeStatus reads must always equal.
func RecountTasks(ctx context.Context, db *DB) (map[domain.TaskType]map[domain.Status]int64, error) {
	return scanTypeStatusCounts(db.pool.Query(ctx, `SELECT type, status, count(*) FROM tasks GROUP BY type, status`))
}
