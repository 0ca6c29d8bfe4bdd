package postgres

import (
	"context"
	"time"

	sq "github.com/Masterminds/squirrel"

	"taskrunner/ports"
)

var _ ports.DuePromoter = (*TaskStore)(nil)

// promoteDue flips due scheduled rows to queued, earliest run_at first, in one statement:
// the inner SELECT walks tasks_scheduled_run_at_idx (migration 0007) and skips rows a
// worker or a cancel holds locked right now (they are changing anyway, and the next pass
// takes any still due); the outer WHERE re-checks the status on the row as it is when
// updated, so a row that moved on meanwhile is left alone.
var promoteDue = mustSQL(psql.Update("tasks").Set("status", sq.Expr("'queued'")).Set("updated_at", nil).
	Where("status = 'scheduled' AND id IN (SELECT id FROM tasks WHERE status = 'scheduled' AND run_at <= ? "+
		"ORDER BY run_at LIMIT ? FOR UPDATE SKIP LOCKED)", nil, nil))

// PromoteDue implements ports.DuePromoter.
func (s *TaskStore) PromoteDue(ctx context.Context, now time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	tag, err := s.db.pool.Exec(ctx, promoteDue, now, now, limit)
	if err != nil {
		return 0, translate(err)
	}
	return int(tag.RowsAffected()), nil
}
