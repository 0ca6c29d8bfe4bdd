package postgres

import (
	"context"
	"strings"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.DueTaskPromoter = (*TaskStore)(nil)

// promoteDueReturning is promoteDue answering the promoted rows, for the task-change feed.
var promoteDueReturning = promoteDue + " RETURNING " + strings.Join(taskColumns, ", ")

// PromoteDueTasks implements ports.DueTaskPromoter.
func (s *TaskStore) PromoteDueTasks(ctx context.Context, now time.Time, limit int) ([]domain.Task, error) {
	if limit <= 0 {
		return []domain.Task{}, nil
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return s.queryTasks(ctx, promoteDueReturning, now, now, limit)
}
