package postgres

import (
	"context"
	"fmt"
	"slices"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"taskrunner/domain"
)

var (
	// lockTasks locks the rows in id order. Every batch takes its locks in that one order,
	// so two batches sharing tasks queue behind each other instead of deadlocking. (The
	// lock is taken as each sorted row is emitted: LockRows sits above the Sort.)
	lockTasks = mustSQL(psql.Select(taskColumns...).From("tasks").
			Where("id = ANY(?"+uuidArray+")", nil).OrderBy("id").Suffix("FOR UPDATE"))
	// updateTasks writes whole rows from unnestTasks over the locked rows with those ids.
	updateTasks = mustSQL(setFromV(psql.Update("tasks"), taskColumns[1:]).From(unnestTasks).
			Where("tasks.id = v.id").Suffix("RETURNING " + qualified("tasks", taskColumns)))
)

// UpdateMany is one transaction of two round trips whatever the number of changes:
//
//	BEGIN; the hinted writes; SELECT ... WHERE id = ANY($1) ORDER BY id FOR UPDATE
//	each Apply, in Go, on the rows just read
//	UPDATE tasks ... FROM unnest(...) RETURNING ...; COMMIT
//
// The changes with a hint (a worker's start or finish, see task_store_update_hints.go) are
// written by the first round trip's conditional statements. The rest, and the hinted rows
// those statements did not match (a cancel request came in, the task moved on), are locked
// and read, so each Apply sees the state it replaces and runs once: no retry. The hinted
// rows that missed cost one more round trip, to lock and read them. A COMMIT queued behind
// a failing UPDATE is skipped by the server, which leaves the transaction aborted for the
// deferred ROLLBACK.
func (s *TaskStore) UpdateMany(ctx context.Context, changes []domain.TaskChange) ([]domain.ChangeResult, error) {
	results := make([]domain.ChangeResult, len(changes))
	ids := make([]string, 0, len(changes))
	for _, c := range changes {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	if i := duplicateAt(ids); i >= 0 {
		return nil, fmt.Errorf("postgres: task %s changed twice in one batch", ids[i])
	}
	live := 0
	for i, c := range changes {
		if !domain.ValidID(c.ID) { // no task can have it, as Update says
			results[i].Err = fmt.Errorf("postgres: task %q: %w", c.ID, domain.ErrNotFound)
		} else {
			live++
		}
	}
	if live == 0 {
		return results, nil
	}
	hints := sortHinted(changes, results)

	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	conn, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer conn.Release() // a connection left inside a transaction is closed, never reused
	defer rollbackOpen(ctx, conn)

	written, err := writeHinted(ctx, conn, changes, hints)
	if err != nil {
		return nil, err
	}
	var rest []string
	for i, c := range changes {
		if results[i].Err != nil {
			continue
		}
		if t, ok := written[i]; ok {
			results[i].Task = t
			continue
		}
		rest = append(rest, c.ID)
	}
	if len(rest) == 0 {
		return results, commit(ctx, conn)
	}
	slices.Sort(rest)
	current, err := lockMany(ctx, conn, rest)
	if err != nil {
		return nil, err
	}
	var write []*domain.Task
	for i, c := range changes {
		if results[i].Err != nil || results[i].Task.ID != "" {
			continue
		}
		t, ok := current[c.ID]
		if !ok {
			results[i].Err = fmt.Errorf("postgres: task %s: %w", c.ID, domain.ErrNotFound)
			continue
		}
		if err := c.Apply(&t); err != nil { // t is freshly decoded: a copy nobody else holds
			results[i].Err = err
			continue
		}
		t.ID = c.ID // the row's identity is not Apply's to change
		write = append(write, &t)
	}
	if len(write) == 0 {
		// Nothing of the locking path to write; the hinted rows written are committed.
		return results, commit(ctx, conn)
	}
	stored, err := writeMany(ctx, conn, write)
	if err != nil {
		return nil, err
	}
	for i, c := range changes {
		if results[i].Err == nil && results[i].Task.ID == "" {
			results[i].Task = stored[c.ID]
		}
	}
	return results, nil
}

// writeHinted begins the transaction and runs the hinted writes, in one round trip. It
// returns the tasks they wrote by change index.
func writeHinted(ctx context.Context, conn *pgxpool.Conn, changes []domain.TaskChange, h hinted) (map[int]domain.Task, error) {
	b := &pgx.Batch{}
	begun := queueBegin(b)
	queueStarts(b, changes, h.starts)
	if err := queueSwaps(b, changes, h); err != nil {
		return nil, err
	}
	br := conn.SendBatch(ctx, b)
	defer abandonBatch(br)
	for range begun {
		if _, err := br.Exec(); err != nil {
			return nil, translate(err)
		}
	}
	byID := make(map[string]int, len(h.starts)+len(h.swaps))
	for _, i := range h.starts {
		byID[changes[i].ID] = i
	}
	for _, i := range h.swaps {
		byID[changes[i].ID] = i
	}
	written := make(map[int]domain.Task, len(byID))
	// The start statements come first (queueStarts), and return whole rows; the swaps
	// return their ids (swappedTasks).
	startStatements := (len(h.starts) + maxBatchRows - 1) / maxBatchRows
	for k := range b.Len() - begun {
		rows, err := br.Query()
		if k >= startStatements {
			if err == nil {
				err = swappedTasks(rows, byID, h.next, written)
			}
			if err != nil {
				return nil, translate(err)
			}
			continue
		}
		tasks, err := scanTasksSized(min(len(byID), maxBatchRows), rows, err)
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			written[byID[t.ID]] = t
		}
	}
	return written, translate(br.Close())
}

// queueBegin opens the transaction of a batch update and returns how many statements it
// queued.
//
// Its settings, local to the transaction, make every batch statement find its rows by id,
// one index probe per row, whatever the table's statistics say: enable_seqscan,
// enable_hashjoin and enable_mergejoin off. A table whose statistics lag its growth (a
// fresh or fast-growing one, before autovacuum's next ANALYZE) makes a seq scan with a
// hash join look cheaper, and that plan reads the whole table for every batch. The same
// holds for the generic plan a connection caches for a prepared statement after its first
// runs: it is made under these settings too (the statements run only in these
// transactions), so one made while the table was small still probes by id as the table
// grows, and the server does not plan every batch anew (planning each one, as
// plan_cache_mode=force_custom_plan did, cost the server a tenth of its CPU under load).
//
// The three are set by one statement: each statement of the batch costs the server a
// parse and an execution, and these ride along every batch.
func queueBegin(b *pgx.Batch) int {
	n := b.Len()
	b.Queue("begin")
	b.Queue("select " +
		"set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), " +
		"set_config('enable_mergejoin', 'off', true)")
	return b.Len() - n
}

// commit ends the open transaction.
func commit(ctx context.Context, conn *pgxpool.Conn) error {
	tag, err := conn.Exec(ctx, "commit")
	if err != nil {
		return translate(err)
	}
	if tag.String() == "ROLLBACK" {
		return fmt.Errorf("postgres: batch update was rolled back at commit")
	}
	return nil
}

// lockMany locks and reads the rows of the sorted ids inside the open transaction, in one
// round trip; ids no row has are absent from the map.
func lockMany(ctx context.Context, conn *pgxpool.Conn, ids []string) (map[string]domain.Task, error) {
	b := &pgx.Batch{}
	for chunk := range slices.Chunk(ids, maxBatchRows) { // chunks in id order keep the lock order
		b.Queue(lockTasks, chunk)
	}
	br := conn.SendBatch(ctx, b)
	defer abandonBatch(br)
	current := make(map[string]domain.Task, len(ids))
	for range b.Len() {
		tasks, err := scanTasks(br.Query())
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			current[t.ID] = t
		}
	}
	return current, translate(br.Close())
}

// writeMany writes the tasks over their locked rows and commits, in one round trip, and
// returns the tasks as stored by id.
func writeMany(ctx context.Context, conn *pgxpool.Conn, write []*domain.Task) (map[string]domain.Task, error) {
	b := &pgx.Batch{}
	for chunk := range slices.Chunk(write, maxBatchRows) {
		arrays, err := tasksArrays(chunk)
		if err != nil {
			return nil, err
		}
		b.Queue(updateTasks, arrays.args()...)
	}
	b.Queue("commit")
	br := conn.SendBatch(ctx, b)
	defer abandonBatch(br)
	stored := make(map[string]domain.Task, len(write))
	for range b.Len() - 1 {
		tasks, err := scanTasks(br.Query())
		if err != nil {
			return nil, err
		}
		for _, t := range tasks {
			stored[t.ID] = t
		}
	}
	tag, err := br.Exec()
	if err != nil {
		return nil, translate(err)
	}
	if tag.String() == "ROLLBACK" { // the server refused to commit
		return nil, fmt.Errorf("postgres: batch update was rolled back at commit")
	}
	if err := br.Close(); err != nil {
		return nil, translate(err)
	}
	if len(stored) != len(write) { // the rows were locked, so every one is still there
		return nil, fmt.Errorf("postgres: batch update wrote %d of %d locked tasks", len(stored), len(write))
	}
	return stored, nil
}

// rollbackOpen ends a transaction that an early return left open (or aborted), so the
// connection goes back to the pool clean; the pool would otherwise close it.
func rollbackOpen(ctx context.Context, conn *pgxpool.Conn) {
	if conn.Conn().PgConn().TxStatus() != 'I' && !conn.Conn().IsClosed() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "rollback")
	}
}

// duplicateAt returns the index of the first element of sorted ids equal to the one before
// it, or -1.
func duplicateAt(ids []string) int {
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return i
		}
	}
	return -1
}

// setFromV assigns each column its value in the unnested row source v.
func setFromV(b sq.UpdateBuilder, columns []string) sq.UpdateBuilder {
	for _, c := range columns {
		b = b.Set(c, sq.Expr("v."+c))
	}
	return b
}
