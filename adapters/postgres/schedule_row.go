package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// scheduleColumns is the column order of every statement that reads or writes a whole
// schedule; scheduleRow.dest and scheduleArgs follow it.
var scheduleColumns = []string{
	"id", "name", "cron", "timezone", "task", "enabled", "overlap",
	"next_run_at", "last_run_at", "last_task_id", "created_at", "updated_at",
}

// scheduleRow is a schedules row as pgx scans it.
type scheduleRow struct {
	id, name, cron, timezone string
	task                     []byte
	enabled                  bool
	overlap                  string
	nextRunAt, lastRunAt     *time.Time
	lastTaskID               *string
	createdAt, updatedAt     time.Time
}

func (r *scheduleRow) dest() []any {
	return []any{
		&r.id, &r.name, &r.cron, &r.timezone, &r.task, &r.enabled, &r.overlap,
		&r.nextRunAt, &r.lastRunAt, &r.lastTaskID, &r.createdAt, &r.updatedAt,
	}
}

func (r *scheduleRow) schedule() domain.Schedule {
	s := domain.Schedule{
		ID: r.id, Name: r.name, Cron: r.cron, Timezone: r.timezone, Task: compactJSON(r.task),
		Enabled: r.enabled, Overlap: domain.Overlap(r.overlap),
		NextRunAt: utcPtr(r.nextRunAt), LastRunAt: utcPtr(r.lastRunAt),
		CreatedAt: r.createdAt.UTC(), UpdatedAt: r.updatedAt.UTC(),
	}
	if r.lastTaskID != nil {
		s.LastTaskID = *r.lastTaskID
	}
	return s
}

// scheduleArgs are s's values in scheduleColumns order.
func scheduleArgs(s *domain.Schedule) []any {
	var lastTaskID *string // NULL before the first firing: the column is a uuid
	if s.LastTaskID != "" {
		lastTaskID = &s.LastTaskID
	}
	return []any{
		s.ID, s.Name, s.Cron, s.Timezone, jsonArg(s.Task), s.Enabled, string(s.Overlap),
		s.NextRunAt, s.LastRunAt, lastTaskID, s.CreatedAt, s.UpdatedAt,
	}
}

func scanSchedule(row pgx.Row) (domain.Schedule, error) {
	var r scheduleRow
	if err := row.Scan(r.dest()...); err != nil {
		return domain.Schedule{}, translate(err)
	}
	return r.schedule(), nil
}
