package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// ExplainWorkerStatements returns the plans of the statements the worker's hot path sends
// for the given queued tasks, each planned as production plans it: the batch read
// (GetMany), the hinted start and the compare-and-swap finish, inside a transaction
// opened as a batch update opens it (queueBegin). Nothing is written.
func ExplainWorkerStatements(ctx context.Context, db *DB, queued []domain.Task) (map[string]string, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	ids := make([]string, len(queued))
	starts := make([]domain.TaskChange, len(queued))
	swaps := make([]domain.TaskChange, len(queued))
	h := hinted{next: map[int]*domain.Task{}}
	at := time.Now().UTC()
	for i := range queued {
		ids[i] = queued[i].ID
		starts[i] = domain.TaskChange{ID: queued[i].ID, Start: &domain.StartIntent{Holder: "h", At: at}}
		seen := queued[i]
		next := seen.Clone()
		if err := next.Start("h", at); err != nil {
			return nil, err
		}
		swaps[i] = domain.TaskChange{ID: seen.ID, Seen: &seen}
		h.swaps = append(h.swaps, i)
		h.next[i] = &next
	}
	plans := map[string]string{}
	explain := func(name, sql string, args ...any) error {
		rows, err := conn.Query(ctx, "EXPLAIN "+sql, args...)
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
	defer conn.Exec(context.WithoutCancel(ctx), "rollback") //nolint:errcheck // nothing was written
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
