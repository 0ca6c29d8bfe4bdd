package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// ExplainWorkerStatements returns the plans of the statements the worker's hot path sends
// for the given queued tasks, each planned as production plans it: the batch read
// (GetMany), the hinted start and the compare-and-swap finish, inside a transaction
// opened as a batch update opens it (queueBegin). With generic, each is the plan a
// connection caches for the prepared statement and reuses for any arguments (what
// PostgreSQL settles on after a statement's first five runs when it costs no more than
// planning each run). Nothing is written.
func ExplainWorkerStatements(ctx context.Context, db *DB, queued []domain.Task, generic bool) (map[string]string, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	w, err := newWorkerChanges(queued)
	if err != nil {
		return nil, err
	}
	ids, starts, swaps, h := w.ids, w.starts, w.swaps, w.h
	plans := map[string]string{}
	explain := func(name, sql string, args ...any) error {
		query := "EXPLAIN " + sql
		if generic {
			// EXECUTE takes no protocol parameters: the arguments go as literals.
			sd, err := conn.Conn().Prepare(ctx, name, sql)
			if err != nil {
				return err
			}
			m := conn.Conn().TypeMap()
			literals := make([]string, len(args))
			for i, oid := range sd.ParamOIDs {
				text, err := m.Encode(oid, pgx.TextFormatCode, args[i], nil)
				if err != nil {
					return err
				}
				typ, _ := m.TypeForOID(oid)
				literals[i] = "'" + strings.ReplaceAll(string(text), "'", "''") + "'::" + typ.Name
				if text == nil {
					literals[i] = "NULL::" + typ.Name
				}
			}
			query, args = "EXPLAIN EXECUTE "+name+"("+strings.Join(literals, ", ")+")", nil
		}
		rows, err := conn.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		plans[name] = strings.Join(lines, "\n")
		return err
	}
	b := &pgx.Batch{}
	begun := queueBegin(b)
	for _, q := range b.QueuedQueries[:begun] {
		if _, err := conn.Exec(ctx, q.SQL); err != nil {
			return nil, err
		}
	}
	defer conn.Exec(context.WithoutCancel(ctx), "rollback; deallocate all") //nolint:errcheck // nothing was written
	if generic {
		if _, err := conn.Exec(ctx, "set local plan_cache_mode = force_generic_plan"); err != nil {
			return nil, err
		}
	}
	b = &pgx.Batch{}
	queueStarts(b, starts, h.swaps)
	if err := queueSwaps(b, swaps, h); err != nil {
		return nil, err
	}
	if err := explain("read", selectTasksByID, ids); err != nil {
		return nil, err
	}
	for i, name := range []string{"start", "finish"} {
		if err := explain(name, b.QueuedQueries[i].SQL, b.QueuedQueries[i].Arguments...); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

// HotPathEncodeErrors prepares each statement of the submit and worker hot paths, with
// the arguments production sends for the given tasks, and returns one line for each
// parameter that pgx cannot encode in the format it tries first (binary, but text for a
// Go string): pgx then builds an error and tries the other format, on every statement.
func HotPathEncodeErrors(ctx context.Context, db *DB, tasks []domain.Task) ([]string, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	w, err := newWorkerChanges(tasks)
	if err != nil {
		return nil, err
	}
	ids, starts, swaps, h := w.ids, w.starts, w.swaps, w.h
	ptrs := make([]*domain.Task, len(tasks))
	for i := range tasks {
		ptrs[i] = &tasks[i]
	}
	arrays, err := tasksArrays(ptrs)
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.Queue(insertTasks, arrays.args()...)
	b.Queue(updateTasks, arrays.args()...)
	b.Queue(selectKeyHolders, []string{"k"}, ids)
	b.Queue(selectTasksByID, ids)
	b.Queue(lockTasks, ids)
	queueStarts(b, starts, h.swaps)
	if err := queueSwaps(b, swaps, h); err != nil {
		return nil, err
	}
	m := conn.Conn().TypeMap()
	var out []string
	for _, q := range b.QueuedQueries {
		sd, err := conn.Conn().Prepare(ctx, "", q.SQL)
		if err != nil {
			return nil, err
		}
		for i, oid := range sd.ParamOIDs {
			format := m.FormatCodeForOID(oid)
			switch q.Arguments[i].(type) {
			case string, *string:
				format = pgx.TextFormatCode
			}
			if _, err := m.Encode(oid, format, q.Arguments[i], nil); err != nil {
				out = append(out, fmt.Sprintf("%.60s... $%d: %v", q.SQL, i+1, err))
			}
		}
	}
	return out, nil
}

// workerChanges are what the worker's hot path sends for a set of queued tasks: their ids
// (the batch read), a start of each (the hinted start), and a finish of each over the
// version read, as the hinted compare-and-swap writes it.
type workerChanges struct {
	ids           []string
	starts, swaps []domain.TaskChange
	h             hinted
}

func newWorkerChanges(queued []domain.Task) (workerChanges, error) {
	w := workerChanges{
		ids:    make([]string, len(queued)),
		starts: make([]domain.TaskChange, len(queued)),
		swaps:  make([]domain.TaskChange, len(queued)),
		h:      hinted{next: map[int]*domain.Task{}},
	}
	at := time.Now().UTC()
	for i := range queued {
		w.ids[i] = queued[i].ID
		w.starts[i] = domain.TaskChange{ID: queued[i].ID, Start: &domain.StartIntent{Holder: "h", At: at}}
		seen := queued[i]
		next := seen.Clone()
		if err := next.Start("h", at); err != nil {
			return workerChanges{}, err
		}
		w.swaps[i] = domain.TaskChange{ID: seen.ID, Seen: &seen}
		w.h.swaps = append(w.h.swaps, i)
		w.h.next[i] = &next
	}
	return w, nil
}
