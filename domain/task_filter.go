package domain

import (
	"slices"
	"time"
)

// Matches reports whether t passes every filter of f but the paging (Limit, After): the
// rule a store that filters in memory applies, and the one a query must express.
// Creation times compare at the microsecond, the precision the API shows and PostgreSQL
// keeps, so a task's own created_at as a bound excludes it in every store.
func (f TaskFilter) Matches(t *Task) bool {
	created := t.CreatedAt.Truncate(time.Microsecond)
	switch {
	case f.Status != "" && t.Status != f.Status,
		f.Type != "" && t.Type != f.Type,
		f.ParentID != "" && t.ParentID != f.ParentID,
		f.ScheduleID != "" && t.ScheduleID != f.ScheduleID,
		len(f.Statuses) > 0 && !slices.Contains(f.Statuses, t.Status),
		len(f.Types) > 0 && !slices.Contains(f.Types, t.Type),
		!f.CreatedAfter.IsZero() && !created.After(f.CreatedAfter),
		!f.CreatedBefore.IsZero() && !created.Before(f.CreatedBefore):
		return false
	}
	return true
}
