package postgres

import (
	"context"
	"errors"
	"fmt"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskStore = (*TaskStore)(nil)

// Listing bounds: the API validates limit 1..500; the store still refuses to run an
// unbounded query if a caller forgets.
const (
	defaultListLimit  = 50
	maxListLimit      = 500
	defaultStaleLimit = 100
)

// The fixed statements are built once: the hot path (Create, Get, Update) then costs one
// round trip per statement and reuses pgx's per-connection prepared statement cache.
var (
	// insertTask stores a task unless its idempotency key is taken (NULL keys never are);
	// then it returns no row and Create reads the holder of the key.
	insertTask = mustSQL(psql.Insert("tasks").Columns(taskColumns...).
			Values(make([]any, len(taskColumns))...).
			Suffix(onKeyTaken + " RETURNING " + columnList(taskColumns)))
	selectTaskByKey = mustSQL(psql.Select(taskColumns...).From("tasks").Where("idempotency_key = ?", nil))
	selectTask      = mustSQL(psql.Select(taskColumns...).From("tasks").Where("id = ?", nil))
	// Update's statements are in task_store_update.go.

	// selectStale is one range scan of tasks_unfinished_status_updated_at_id_idx
	// (migrations 0004, 0006): the row comparison is the keyset cursor, and the ORDER BY is
	// the index order.
	selectStale = mustSQL(psql.Select(taskColumns...).From("tasks").
			Where("status = ? AND updated_at < ? AND (updated_at, id) > (?, ?)", nil, nil, nil, nil).
			OrderBy("updated_at", "id").Suffix("LIMIT ?", nil))
	// countTasks sums the counters the triggers of migration 0013 keep: a few rows per
	// (type, status), whatever the number of tasks.
	countTasks = mustSQL(psql.Select("type", "status", "sum(n)::bigint").From("task_counts").
			GroupBy("type", "status").Having("sum(n) <> 0"))
)

// onKeyTaken skips a row whose idempotency key is taken. The WHERE names the predicate of
// the partial unique index on the key (migration 0006), which ON CONFLICT must match to
// use it as the arbiter.
const onKeyTaken = "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"

// TaskStore is the PostgreSQL task store.
type TaskStore struct {
	db *DB
}

// NewTaskStore returns a task store over db's pool.
func NewTaskStore(db *DB) *TaskStore { return &TaskStore{db: db} }

// Create stores t in one INSERT. When t.IdempotencyKey is taken it stores nothing and
// returns the task holding the key with created == false. The returned task is as stored
// (timestamps at microsecond precision, in UTC).
func (s *TaskStore) Create(ctx context.Context, t domain.Task) (domain.Task, bool, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	args, err := taskArgs(&t)
	if err != nil {
		return domain.Task{}, false, err
	}
	stored, err := scanTask(s.db.pool.QueryRow(ctx, insertTask, args...))
	if err == nil {
		return stored, true, nil
	}
	if !errors.Is(err, domain.ErrNotFound) || t.IdempotencyKey == "" {
		return domain.Task{}, false, err
	}
	existing, err := scanTask(s.db.pool.QueryRow(ctx, selectTaskByKey, t.IdempotencyKey))
	if err != nil {
		return domain.Task{}, false, fmt.Errorf("postgres: read task holding idempotency key: %w", err)
	}
	return existing, false, nil
}

// Get returns the task, or an error matching domain.ErrNotFound (also for ids that are not
// UUIDs, which no task can have).
func (s *TaskStore) Get(ctx context.Context, id string) (domain.Task, error) {
	if !domain.ValidID(id) {
		return domain.Task{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return scanTask(s.db.pool.QueryRow(ctx, selectTask, id))
}

// List returns one page of tasks, newest first, by keyset on id: the page after
// filter.After starts at the next smaller id, so pages stay stable while tasks are added.
func (s *TaskStore) List(ctx context.Context, f domain.TaskFilter) (domain.TaskPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	limit = min(limit, maxListLimit)
	q := psql.Select(taskColumns...).From("tasks")
	if f.Status != "" {
		q = q.Where(sq.Eq{"status": string(f.Status)})
	}
	if f.Type != "" {
		q = q.Where(sq.Eq{"type": string(f.Type)})
	}
	if f.ParentID != "" {
		if !domain.ValidID(f.ParentID) { // no task can have it
			return domain.TaskPage{Tasks: []domain.Task{}}, nil
		}
		q = q.Where(sq.Eq{"parent_id": f.ParentID})
	}
	if f.ScheduleID != "" {
		if !domain.ValidID(f.ScheduleID) {
			return domain.TaskPage{Tasks: []domain.Task{}}, nil // no task names a schedule by a non-UUID
		}
		q = q.Where(sq.Eq{"schedule_id": f.ScheduleID})
	}
	q = whereAnyOf(q, f)
	if f.After != "" {
		if !domain.ValidID(f.After) {
			return domain.TaskPage{}, domain.InvalidRequest("cursor", "cursor is not a task id")
		}
		q = q.Where(sq.Lt{"id": f.After})
	}
	// LIMIT as a parameter keeps the SQL text, and so pgx's prepared statement, the same
	// whatever page size clients ask for.
	sqlStr, args, err := q.OrderBy("id DESC").Suffix("LIMIT ?", limit+1).ToSql()
	if err != nil {
		return domain.TaskPage{}, fmt.Errorf("postgres: build list query: %w", err)
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	tasks, err := s.queryTasks(ctx, sqlStr, args...)
	if err != nil {
		return domain.TaskPage{}, err
	}
	page := domain.TaskPage{Tasks: tasks}
	if len(tasks) > limit { // the extra row only says that another page exists
		page.Tasks = tasks[:limit]
		page.NextAfter = tasks[limit-1].ID
	}
	return page, nil
}

// ListStale returns up to q.Limit tasks in q.Status last updated before q.UpdatedBefore and
// after the cursor q.After, in (updated_at, id) order.
func (s *TaskStore) ListStale(ctx context.Context, q domain.StaleQuery) ([]domain.Task, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultStaleLimit
	}
	// The zero cursor is -infinity, before every row, and an empty id the nil UUID, before
	// every real (v7) id; so one statement serves the first page and every later one.
	afterAt := pgtype.Timestamptz{Time: q.After.UpdatedAt, Valid: true}
	if q.After.IsZero() {
		afterAt = pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	}
	afterID := q.After.ID
	switch {
	case afterID == "":
		afterID = "00000000-0000-0000-0000-000000000000"
	case !domain.ValidID(afterID):
		return nil, domain.InvalidRequest("cursor", "stale cursor id is not a task id")
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	return s.queryTasks(ctx, selectStale, string(q.Status), q.UpdatedBefore, afterAt, afterID, limit)
}

// CountByTypeStatus reads the per (type, status) counters that the tasks table's triggers
// keep (migration 0013); no scan of tasks.
func (s *TaskStore) CountByTypeStatus(ctx context.Context) (map[domain.TaskType]map[domain.Status]int64, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	counts, err := scanTypeStatusCounts(s.db.pool.Query(ctx, countTasks))
	return counts, translate(err)
}

// scanTypeStatusCounts reads (type, status, n) rows, as Query returns them, into counts
// by type and status, and closes the rows.
func scanTypeStatusCounts(rows pgx.Rows, err error) (map[domain.TaskType]map[domain.Status]int64, error) {
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
		byStatus := counts[domain.TaskType(typ)]
		if byStatus == nil {
			byStatus = map[domain.Status]int64{}
			counts[domain.TaskType(typ)] = byStatus
		}
		byStatus[domain.Status(status)] = n
	}
	return counts, rows.Err()
}

func (s *TaskStore) queryTasks(ctx context.Context, sqlStr string, args ...any) ([]domain.Task, error) {
	return scanTasks(s.db.pool.Query(ctx, sqlStr, args...))
}

// scanTasks reads every task row of a query (as Query returns it) and closes the rows.
func scanTasks(rows pgx.Rows, err error) ([]domain.Task, error) {
	return scanTasksSized(0, rows, err)
}

// scanTasksSized is scanTasks for a query expected to return up to n rows: the batch
// statements, whose slices would otherwise grow by doubling, copying tasks of a few
// hundred bytes each time (a tenth of the worker's allocation under load).
func scanTasksSized(n int, rows pgx.Rows, err error) ([]domain.Task, error) {
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	tasks := make([]domain.Task, 0, n)
	for rows.Next() {
		var r taskRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, translate(err)
		}
		t, err := r.task()
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return tasks, nil
}

// scanTask reads one task row; no row is domain.ErrNotFound.
func scanTask(row pgx.Row) (domain.Task, error) {
	var r taskRow
	if err := row.Scan(r.dest()...); err != nil {
		return domain.Task{}, translate(err)
	}
	return r.task()
}
