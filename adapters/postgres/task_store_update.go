package postgres

import (
	"context"
	"errors"

	"taskrunner/domain"
)

// Update is optimistic first: read the row with its version, apply fn, and write it back
// only if the row still has that version. That is two round trips and one implicit commit
// (BEGIN, SELECT FOR UPDATE, UPDATE, COMMIT was four), and on the task hot path every
// transition (start, finish) pays it. Writers rarely collide on one task (a cancel against
// a finishing worker, a duplicate delivery), so when the version has moved on, Update
// falls back to the row-locked transaction, which cannot lose a race: progress is bounded
// at one retry, never an optimistic loop.
//
// The version is PostgreSQL's xmin system column: the id of the transaction that wrote
// this row version. Every committed UPDATE of the row, by any statement in any process
// (this package, the reconciler, a hand-written fix), gives it a new xmin, so no schema
// column has to be kept in step by every writer, and no migration is needed. (Two updates
// in one transaction share an xmin, but we only ever read committed versions, and after
// its commit that transaction writes nothing more.) A row lock (FOR UPDATE) does not
// change xmin. A concurrent writer makes the conditional UPDATE wait, then re-check its
// condition against the latest committed version (READ COMMITTED), which is what makes
// the write a compare-and-swap.
var (
	selectTaskVersion = mustSQL(psql.Select(append([]string{"xmin"}, taskColumns...)...).
				From("tasks").Where("id = ?", nil))
	casUpdateTask = mustSQL(setAll(psql.Update("tasks"), taskColumns[1:]).
			Where("id = ? AND xmin = ?", nil, nil).Suffix("RETURNING " + columnList(taskColumns)))
	// lockTask holds the row until the transaction ends, so two workers (or a worker and a
	// cancel) never apply transitions from the same state.
	lockTask   = mustSQL(psql.Select(taskColumns...).From("tasks").Where("id = ?", nil).Suffix("FOR UPDATE"))
	updateTask = mustSQL(setAll(psql.Update("tasks"), taskColumns[1:]).Where("id = ?", nil).
			Suffix("RETURNING " + columnList(taskColumns)))
)

// errVersionMoved says the optimistic write found the row changed since it was read.
var errVersionMoved = errors.New("postgres: task changed since it was read")

// Update applies fn to a fresh copy of the stored task and writes it back atomically: a
// compare-and-swap on the row version, or, if another writer got in between, under a row
// lock. fn may therefore be called twice, each time on a fresh copy of the row as then
// stored; only the copy of the call that is stored counts. fn's error stores nothing and
// is returned unchanged.
func (s *TaskStore) Update(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	if !domain.ValidID(id) {
		return domain.Task{}, domain.ErrNotFound
	}
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	stored, err := s.updateIfUnchanged(ctx, id, fn)
	if !errors.Is(err, errVersionMoved) {
		return stored, err
	}
	return s.updateLocked(ctx, id, fn)
}

// updateIfUnchanged is the optimistic path; errVersionMoved means nothing was written.
func (s *TaskStore) updateIfUnchanged(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	var r taskRow
	var version uint32 // xmin is a 32-bit transaction id
	if err := s.db.pool.QueryRow(ctx, selectTaskVersion, id).Scan(append([]any{&version}, r.dest()...)...); err != nil {
		return domain.Task{}, translate(err)
	}
	t, err := r.task()
	if err != nil {
		return domain.Task{}, err
	}
	if err := fn(&t); err != nil {
		return domain.Task{}, err
	}
	t.ID = id // the row's identity is not fn's to change
	args, err := taskArgs(&t)
	if err != nil {
		return domain.Task{}, err
	}
	stored, err := scanTask(s.db.pool.QueryRow(ctx, casUpdateTask, append(args[1:], id, version)...))
	if errors.Is(err, domain.ErrNotFound) { // no row had that version: someone wrote first
		return domain.Task{}, errVersionMoved
	}
	return stored, err
}

// updateLocked locks the row (SELECT ... FOR UPDATE), applies fn and writes the task back,
// in one transaction. fn's error rolls back and is returned unchanged.
func (s *TaskStore) updateLocked(ctx context.Context, id string, fn func(*domain.Task) error) (domain.Task, error) {
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return domain.Task{}, translate(err)
	}
	// After Commit this is a no-op; on every early return it releases the row lock.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	t, err := scanTask(tx.QueryRow(ctx, lockTask, id))
	if err != nil {
		return domain.Task{}, err
	}
	if err := fn(&t); err != nil {
		return domain.Task{}, err
	}
	t.ID = id
	args, err := taskArgs(&t)
	if err != nil {
		return domain.Task{}, err
	}
	stored, err := scanTask(tx.QueryRow(ctx, updateTask, append(args[1:], id)...))
	if err != nil {
		return domain.Task{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return domain.Task{}, translate(err)
	}
	return stored, nil
}
