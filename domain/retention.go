package domain

import "time"

// Retention bounds (TASK_RETENTION_DAYS, API.md "Scheduling and lifecycle").
const (
	DefaultTaskRetentionDays = 30
	// MaxTaskRetentionDays is a hundred years: longer is "keep everything", which 0 says.
	MaxTaskRetentionDays = 36500
)

// RetentionCutoff is the instant before which a finished task is past its retention, and
// false when retention keeps everything (TaskRetentionDays 0). A task that finished at the
// cutoff or later stays.
func (l Limits) RetentionCutoff(now time.Time) (time.Time, bool) {
	if l.TaskRetentionDays <= 0 {
		return time.Time{}, false
	}
	return now.Add(-time.Duration(l.TaskRetentionDays) * 24 * time.Hour), true
}

// RetentionQuery selects one batch of finished tasks to delete.
type RetentionQuery struct {
	// Before is the cutoff: only tasks whose FinishedAt is strictly before it go.
	Before time.Time
	// Limit is the most tasks one batch deletes (> 0).
	Limit int
}

// RetentionBatch is what one batch deleted.
type RetentionBatch struct {
	Tasks     int // tasks deleted; 0 when none was past the cutoff
	Artifacts int // artifact metadata rows deleted with them
	Runs      int // runs deleted with them
}
