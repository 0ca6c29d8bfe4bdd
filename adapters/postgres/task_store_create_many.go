package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskBatchStore = (*TaskStore)(nil)

var (
	// insertTasks is insertTask for many rows: the rows of unnestTasks that do not collide
	// on an idempotency key. The call never sends two rows with one key (the first one wins
	// in Go), so ON CONFLICT only ever meets keys of other transactions. Every column comes
	// from the caller's task, so it returns only which ids it inserted, and their params,
	// the one column whose stored form the server chooses (see insertedTask).
	insertTasks = mustSQL(psql.Insert("tasks").Columns(taskColumns...).
			Select(sq.Select(taskColumns...).From(unnestTasks)).
			Suffix(onKeyTaken + " RETURNING id, params"))
	// selectKeyHolders reads the tasks of other transactions holding any of the keys: the
	// holders of the keys insertTasks found taken.
	selectKeyHolders = mustSQL(psql.Select(taskColumns...).From("tasks").
				Where("idempotency_key = ANY(?::text[]) AND id <> ALL(?"+uuidArray+")", nil, nil))
)

// CreateMany stores the tasks with one INSERT ... SELECT FROM unnest(...) per maxBatchRows
// and, when any has an idempotency key, one SELECT of the holders of keys that were taken.
// The statements go out together in one round trip, as one implicit transaction (one
// Sync), so an error in any of them stores nothing. The SELECT runs after the INSERT, on a
// snapshot of its own (READ COMMITTED), so it sees every holder the INSERT collided with:
// ON CONFLICT waits for a holder still being inserted to commit or roll back.
func (s *TaskStore) CreateMany(ctx context.Context, tasks []domain.Task) ([]domain.CreateResult, error) {
	results := make([]domain.CreateResult, len(tasks))
	if len(tasks) == 0 {
		return results, nil
	}
	// The first task with a key is written; a later one with the same key takes its result.
	firstWithKey := map[string]int{}
	var write []*domain.Task
	for i := range tasks {
		if key := tasks[i].IdempotencyKey; key != "" {
			if _, taken := firstWithKey[key]; taken {
				continue
			}
			firstWithKey[key] = i
		}
		write = append(write, &tasks[i])
	}
	// Rows are inserted in array order, and a row whose key another transaction is still
	// inserting waits for it. Writing keys in one global order keeps two batches that share
	// keys from each waiting on the other (a deadlock); keyless rows never wait.
	slices.SortStableFunc(write, func(a, b *domain.Task) int { return cmp.Compare(a.IdempotencyKey, b.IdempotencyKey) })

	b := &pgx.Batch{}
	for chunk := range slices.Chunk(write, maxBatchRows) {
		arrays, err := tasksArrays(chunk)
		if err != nil {
			return nil, err
		}
		b.Queue(insertTasks, arrays.args()...)
	}
	if len(firstWithKey) > 0 {
		keys := make([]string, 0, len(firstWithKey))
		ids := make([]string, 0, len(firstWithKey))
		for key, i := range firstWithKey {
			keys = append(keys, key)
			ids = append(ids, tasks[i].ID)
		}
		b.Queue(selectKeyHolders, keys, ids)
	}

	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	created, holders, err := s.sendCreateMany(ctx, b, write)
	if err != nil {
		return nil, err
	}
	for i := range tasks {
		t := &tasks[i]
		first := t.IdempotencyKey == "" || firstWithKey[t.IdempotencyKey] == i
		if stored, ok := created[t.ID]; ok && first {
			results[i] = domain.CreateResult{Task: stored, Created: true}
			continue
		}
		// Not written by this call: its key is held by another transaction's task, or by
		// an earlier task of this call (written, or itself beaten to the key).
		if t.IdempotencyKey == "" {
			return nil, fmt.Errorf("postgres: task %s without a key was not inserted", t.ID)
		}
		holder, ok := holders[t.IdempotencyKey]
		if !ok {
			holder, ok = created[tasks[firstWithKey[t.IdempotencyKey]].ID]
		}
		if !ok {
			return nil, fmt.Errorf("postgres: read task holding idempotency key: %w", domain.ErrNotFound)
		}
		// A clone: the holder may be returned in more than one result, and a caller
		// changing one result must not change another.
		results[i] = domain.CreateResult{Task: holder.Clone()}
	}
	return results, nil
}

// sendCreateMany sends CreateMany's batch of the tasks write and returns the inserted
// tasks by id and the other holders of the keys by key.
func (s *TaskStore) sendCreateMany(ctx context.Context, b *pgx.Batch, write []*domain.Task) (created, holders map[string]domain.Task, err error) {
	br := s.db.pool.SendBatch(ctx, b)
	defer func() {
		if cerr := br.Close(); err == nil && cerr != nil {
			created, holders, err = nil, nil, translate(cerr)
		}
	}()
	byID := make(map[string]*domain.Task, len(write))
	for _, t := range write {
		byID[t.ID] = t
	}
	created = make(map[string]domain.Task, len(write))
	inserts := (len(write) + maxBatchRows - 1) / maxBatchRows
	for range inserts {
		q, err := br.Query()
		if err == nil {
			err = insertedTasks(q, byID, created)
		}
		if err != nil {
			return nil, nil, translate(err)
		}
	}
	holders = map[string]domain.Task{}
	if b.Len() > inserts {
		tasks, err := scanTasks(br.Query())
		if err != nil {
			return nil, nil, fmt.Errorf("postgres: read tasks holding idempotency keys: %w", err)
		}
		for _, t := range tasks {
			holders[t.IdempotencyKey] = t
		}
	}
	return created, holders, nil
}
