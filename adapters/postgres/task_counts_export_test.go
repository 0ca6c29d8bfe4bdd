package postgres

import (
	"context"

	"taskrunner/domain"
)

// RecountTasks counts the tasks per (type, status) with a GROUP BY over every row: what
// the counters CountByTypeStatus reads must always equal.
func RecountTasks(ctx context.Context, db *DB) (map[domain.TaskType]map[domain.Status]int64, error) {
	rows, err := db.pool.Query(ctx, `SELECT type, status, count(*) FROM tasks GROUP BY type, status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[domain.TaskType]map[domain.Status]int64{}
	for rows.Next() {
		var typ, status string
		var n int64
		if err := rows.Scan(&typ, &status, &n); err != nil {
			return nil, err
		}
		if counts[domain.TaskType(typ)] == nil {
			counts[domain.TaskType(typ)] = map[domain.Status]int64{}
		}
		counts[domain.TaskType(typ)][domain.Status(status)] = n
	}
	return counts, rows.Err()
}
