package postgres

import (
	sq "github.com/Masterminds/squirrel"

	"taskrunner/domain"
)

// whereAnyOf adds the list filters that take several values or a time range. Each value
// set is one array parameter (status = ANY($n)), so the SQL text, and pgx's prepared
// statement, stays the same however many values a client names; tasks_status_id_idx and
// tasks_type_id_idx serve the sets. The created_at bounds have no index of their own:
// they filter the id-ordered scan, which ids being time-ordered keeps short for recent
// ranges.
func whereAnyOf(q sq.SelectBuilder, f domain.TaskFilter) sq.SelectBuilder {
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			statuses[i] = string(st)
		}
		q = q.Where("status = ANY(?)", statuses)
	}
	if len(f.Types) > 0 {
		types := make([]string, len(f.Types))
		for i, typ := range f.Types {
			types[i] = string(typ)
		}
		q = q.Where("type = ANY(?)", types)
	}
	if !f.CreatedAfter.IsZero() {
		q = q.Where(sq.Gt{"created_at": f.CreatedAfter})
	}
	if !f.CreatedBefore.IsZero() {
		q = q.Where(sq.Lt{"created_at": f.CreatedBefore})
	}
	return q
}
