package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// atStoredPrecision sets t's timestamps to what the table will hold: UTC, in whole
// microseconds, cut the way the driver cuts them when it sends a time (truncated, not
// rounded). A compare-and-swap writes t and returns it as the stored task without reading
// the row back, and the next compare-and-swap of the task compares updated_at with it, so
// a nanosecond the column cannot keep would make every later hint miss. The attempt log
// keeps its times as JSON text, which loses nothing, so they stay as they are.
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
