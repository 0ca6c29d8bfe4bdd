package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// The batch writes of the hot path (CreateMany's insert, UpdateMany's compare-and-swap)
// set every column of a row from the caller's task, so the row they write is that task as
// the table holds it: they return only the ids they wrote and the one JSON column whose
// stored form the server chooses (jsonb orders an object's keys its own way), instead of
// whole rows to decode. Decoding the rows back was a tenth of the worker's CPU under load.

// atStoredPrecision sets t's timestamps to what the table will hold: UTC, in whole
// microseconds, cut the way the driver cuts them when it sends a time (truncated, not
// rounded). The task is returned as stored without reading the row back, and the next
// compare-and-swap of the task compares updated_at with it, so a nanosecond the column
// cannot keep would make every later hint miss. The attempt log keeps its times as JSON
// text, which loses nothing, so they stay as they are.
func atStoredPrecision(t *domain.Task) {
	t.CreatedAt = storedTime(t.CreatedAt)
	t.UpdatedAt = storedTime(t.UpdatedAt)
	t.StartedAt = storedTimePtr(t.StartedAt)
	t.FinishedAt = storedTimePtr(t.FinishedAt)
	t.RunAt = storedTimePtr(t.RunAt)
	t.HeartbeatAt = storedTimePtr(t.HeartbeatAt)
	if t.Callback != nil && t.Callback.NextAt != nil {
		cb := *t.Callback // the callback may be shared with the caller's copy
		cb.NextAt = storedTimePtr(cb.NextAt)
		t.Callback = &cb
	}
}

func storedTime(at time.Time) time.Time { return at.UTC().Truncate(time.Microsecond) }

// storedTimePtr is storedTime on a fresh pointer: the original may be shared.
func storedTimePtr(at *time.Time) *time.Time {
	if at == nil {
		return nil
	}
	s := storedTime(*at)
	return &s
}

// swappedTasks reads what a swap statement returned (the ids it matched and their stored
// results) into written, by change index: each is the caller's new task (next) with the
// result as stored.
func swappedTasks(rows pgx.Rows, byID map[string]int, next map[int]*domain.Task, written map[int]domain.Task) error {
	defer rows.Close()
	var id string
	var result []byte
	for rows.Next() {
		if err := rows.Scan(&id, &result); err != nil {
			return err
		}
		i := byID[id]
		t := *next[i]
		t.Result = compactJSON(result)
		written[i] = t
	}
	return rows.Err()
}

// insertedTasks reads what an insert statement returned (the ids it inserted and their
// stored params) into created: each is the caller's task (byID) as stored.
func insertedTasks(rows pgx.Rows, byID map[string]*domain.Task, created map[string]domain.Task) error {
	defer rows.Close()
	var id string
	var params []byte
	for rows.Next() {
		if err := rows.Scan(&id, &params); err != nil {
			return err
		}
		t := byID[id].Clone() // the caller keeps its own task
		atStoredPrecision(&t)
		t.Params = compactJSON(params)
		if len(t.AttemptLog) == 0 {
			t.AttemptLog = nil // an empty log is stored as NULL
		}
		created[id] = t
	}
	return rows.Err()
}
