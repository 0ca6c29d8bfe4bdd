package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.ScheduleStore = (*ScheduleStore)(nil)

var (
	insertSchedule = mustSQL(psql.Insert("schedules").Columns(scheduleColumns...).
			Values(make([]any, len(scheduleColumns))...))
	selectSchedule  = mustSQL(psql.Select(scheduleColumns...).From("schedules").Where("id = ?", nil))
	listSchedules   = mustSQL(psql.Select(scheduleColumns...).From("schedules").OrderBy("id").Suffix("LIMIT ?", nil))
	lockSchedule    = mustSQL(psql.Select(scheduleColumns...).From("schedules").Where("id = ?", nil).Suffix("FOR UPDATE"))
	updateSchedule  = mustSQL(setAll(psql.Update("schedules"), scheduleColumns[1:]).Where("id = ?", nil).Suffix("RETURNING " + columnList(scheduleColumns)))
	deleteSchedule  = mustSQL(psql.Delete("schedules").Where("id = ?", nil))
	nextDueSchedule = mustSQL(psql.Select("min(next_run_at)").From("schedules").Where("enabled"))
	// lockDueSchedule takes the earliest due row no other transaction holds: SKIP LOCKED
	// is what lets any number of schedulers ask at once, each getting a different row or
	// none, and never one that another is firing. The predicate is the partial index's.
	lockDueSchedule = mustSQL(psql.Select(scheduleColumns...).From("schedules").
			Where("enabled AND next_run_at <= ?", nil).OrderBy("next_run_at", "id").
			Suffix("LIMIT 1 FOR UPDATE SKIP LOCKED"))
)

// fireBudget bounds one FireDue transaction, fn included (it submits a task: a write and
// a queue push of its own), as a multiple of the per-query timeout.
const fireBudget = 3

// ScheduleStore is the PostgreSQL schedule store.
type ScheduleStore struct {
	db *DB
}

// NewScheduleStore returns a schedule store over db's pool.
func NewScheduleStore(db *DB) *ScheduleStore { return &ScheduleStore{db: db} }

// Create inserts the schedule.
func (s *ScheduleStore) Create(ctx context.Context, sc domain.Schedule) error {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	_, err := s.db.pool.Exec(ctx, insertSchedule, scheduleArgs(&sc)...)
	return translate(err)
}

// Get reads one schedule.
func (s *ScheduleStore) Get(ctx context.Context, id string) (domain.Schedule, error) {
	if !domain.ValidID(id) {
		return domain.Schedule{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return scanSchedule(s.db.pool.QueryRow(ctx, selectSchedule, id))
}

// List reads up to limit schedules in id order.
func (s *ScheduleStore) List(ctx context.Context, limit int) ([]domain.Schedule, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	rows, err := s.db.pool.Query(ctx, listSchedules, max(limit, 0))
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []domain.Schedule{}
	for rows.Next() {
		var r scheduleRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, translate(err)
		}
		out = append(out, r.schedule())
	}
	return out, translate(rows.Err())
}

// Update locks the row, applies fn and writes it back in one transaction.
func (s *ScheduleStore) Update(ctx context.Context, id string, fn func(*domain.Schedule) error) (domain.Schedule, error) {
	if !domain.ValidID(id) {
		return domain.Schedule{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return s.inTx(ctx, func(tx pgx.Tx) (domain.Schedule, error) {
		return applySchedule(ctx, tx, tx.QueryRow(ctx, lockSchedule, id), fn)
	})
}

// Delete removes the row.
func (s *ScheduleStore) Delete(ctx context.Context, id string) error {
	if !domain.ValidID(id) {
		return domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	tag, err := s.db.pool.Exec(ctx, deleteSchedule, id)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// FireDue locks the earliest due row nobody else holds, applies fn and writes it back,
// all in one transaction: the row lock is held while fn submits the task, so another
// scheduler skips this row, and a PATCH waits for the firing to commit.
func (s *ScheduleStore) FireDue(ctx context.Context, now time.Time, fn func(*domain.Schedule) error) (domain.Schedule, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, fireBudget*s.db.queryTimeout)
	defer cancel()
	stored, err := s.inTx(ctx, func(tx pgx.Tx) (domain.Schedule, error) {
		return applySchedule(ctx, tx, tx.QueryRow(ctx, lockDueSchedule, now), fn)
	})
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Schedule{}, false, nil // nothing due, or every due row is being fired
	}
	if err != nil {
		return domain.Schedule{}, false, err
	}
	return stored, true, nil
}

// NextDue reads the earliest next_run_at of the enabled rows.
func (s *ScheduleStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	var next *time.Time
	if err := s.db.pool.QueryRow(ctx, nextDueSchedule).Scan(&next); err != nil {
		return time.Time{}, false, translate(err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return next.UTC(), true, nil
}

// inTx runs body in a transaction and commits when it succeeds; every early return rolls
// back, releasing the row lock.
func (s *ScheduleStore) inTx(ctx context.Context, body func(pgx.Tx) (domain.Schedule, error)) (domain.Schedule, error) {
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return domain.Schedule{}, translate(err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	stored, err := body(tx)
	if err != nil {
		return domain.Schedule{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return domain.Schedule{}, translate(err)
	}
	return stored, nil
}

// applySchedule reads the locked row, applies fn and writes the result.
func applySchedule(ctx context.Context, tx pgx.Tx, locked pgx.Row, fn func(*domain.Schedule) error) (domain.Schedule, error) {
	sc, err := scanSchedule(locked)
	if err != nil {
		return domain.Schedule{}, err
	}
	id := sc.ID
	if err := fn(&sc); err != nil {
		return domain.Schedule{}, err
	}
	sc.ID = id // the row's identity is not fn's to change
	return scanSchedule(tx.QueryRow(ctx, updateSchedule, append(scheduleArgs(&sc)[1:], id)...))
}
