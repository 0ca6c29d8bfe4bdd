package postgres

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
)

// The hinted writes of UpdateMany (see domain.TaskChange's Seen and Start): the worker's
// starts and finishes, which are nearly all of the batch updates, written as conditional
// statements that need no read. The locking path, whose SELECT ... FOR UPDATE reads every
// row out and marks every tuple locked (a WAL record per row) before the UPDATE writes it
// again, stays for the changes without a hint and for the rows a hint did not fit.

// immutableTaskColumns never change after Create; a compare-and-swap leaves them out of
// its SET list (and its arrays carry no params), so a finish sends and the server parses
// only what a transition can change. A column added later is written unless listed here.
var immutableTaskColumns = []string{
	"id", "type", "params", "max_retries", "timeout_seconds", "idempotency_key", "client_id", "created_at",
	"retry_of",
}

// swapColumns are the positions in taskColumns of the arrays a compare-and-swap sends:
// the id and the columns a transition can change. The others would be encoded, sent and
// unnested on every finish for nothing.
var swapColumns = func() []int {
	var out []int
	for i, c := range taskColumns {
		if c == "id" || !slices.Contains(immutableTaskColumns, c) {
			out = append(out, i)
		}
	}
	return out
}()

var (
	// startTasks is domain.Task.Start over the rows where StartIsPlain holds, in the
	// same terms: $5 are the statuses a plain start leaves, $6 is
	// domain.StartsBeyondRetries, $8 domain.MaxAttemptLog. The attempt log's new entry is
	// built here with the keys of domain.Attempt's JSON form. The status test is wrapped
	// in IS TRUE (status is never NULL, so it means the same) so that no index on status
	// can serve it: on a table whose statistics lag its growth, the planner would
	// otherwise walk the whole backlog of queued tasks in that index for every batch,
	// rather than probe the primary key for each of the batch's ids.
	startTasks = "UPDATE tasks SET status = $7, holder = v.holder, attempts = tasks.attempts + 1, " +
		"started_at = v.at, updated_at = v.at, heartbeat_at = v.at, progress = NULL, " +
		"attempt_log = coalesce(tasks.attempt_log, '[]'::jsonb) || jsonb_build_array(jsonb_build_object(" +
		"'attempt', tasks.attempts + 1, 'worker', v.worker, 'started_at', v.at, 'finished_at', NULL, " +
		"'outcome', '" + string(domain.AttemptRunning) + "', 'error', '')) " +
		"FROM unnest($1" + uuidArray + ", $2::text[], $3::timestamptz[], $4::jsonb[]) AS v(id, holder, at, worker) " +
		"WHERE tasks.id = v.id AND (tasks.status = ANY($5::text[])) IS TRUE AND NOT tasks.cancel_requested " +
		"AND tasks.attempts < tasks.max_retries + $6 " +
		"AND coalesce(jsonb_array_length(tasks.attempt_log), 0) < $8 " +
		"RETURNING " + qualified("tasks", taskColumns)
	// swapTasks writes the changed columns of each row of v where the stored row is still
	// the version the caller saw (the fields domain.SameVersion compares). Every column it
	// sets comes from v and the others never change, so the row it writes is the caller's
	// new task: it returns only the ids it matched, and the result, the one column whose
	// stored form the server chooses (jsonb orders an object's keys its own way). Reading
	// whole rows back cost the worker a tenth of its CPU under load (see swappedTask).
	swapTasks = func() string {
		var set, columns, types []string
		for _, i := range swapColumns {
			c := taskColumns[i]
			columns, types = append(columns, c), append(types, taskColumnTypes[i])
			if c != "id" {
				set = append(set, c+" = v."+c)
			}
		}
		seen := []string{"seen_status", "seen_holder", "seen_attempts", "seen_cancel", "seen_updated_at"}
		seenTypes := []string{"text", "text", "integer", "boolean", "timestamptz"}
		src := unnestSource(append(types, seenTypes...), append(columns, seen...))
		return "UPDATE tasks SET " + strings.Join(set, ", ") + " FROM " + src +
			" WHERE tasks.id = v.id AND tasks.status = v.seen_status AND tasks.holder = v.seen_holder" +
			" AND tasks.attempts = v.seen_attempts AND tasks.cancel_requested = v.seen_cancel" +
			" AND tasks.updated_at = v.seen_updated_at RETURNING tasks.id, tasks.result"
	}()
)

// hinted are the changes of one UpdateMany call that carry a usable hint, by kind.
type hinted struct {
	starts []int                // indexes of changes with a Start intent
	swaps  []int                // indexes of changes with a Seen the change applies to
	next   map[int]*domain.Task // a swap's new task: Apply on a copy of Seen
}

// sortHinted splits off the changes a hint can write. A Seen whose Apply fails is no
// hint: the row may have moved on, and only the locking path can tell.
func sortHinted(changes []domain.TaskChange, results []domain.ChangeResult) hinted {
	h := hinted{next: map[int]*domain.Task{}}
	for i, c := range changes {
		if results[i].Err != nil {
			continue
		}
		switch {
		case c.Start != nil:
			h.starts = append(h.starts, i)
		case c.Seen != nil && c.Seen.ID == c.ID:
			t := c.Seen.Clone()
			if c.Apply(&t) == nil {
				t.ID = c.ID
				atStoredPrecision(&t)
				h.next[i] = &t
				h.swaps = append(h.swaps, i)
			}
		}
	}
	return h
}

// queueStarts adds the start statements to b, rows in id order.
func queueStarts(b *pgx.Batch, changes []domain.TaskChange, idx []int) {
	idx = slices.Clone(idx)
	slices.SortFunc(idx, func(x, y int) int { return strings.Compare(changes[x].ID, changes[y].ID) })
	statuses := make([]string, len(domain.PlainStartStatuses))
	for i, s := range domain.PlainStartStatuses {
		statuses[i] = string(s)
	}
	for chunk := range slices.Chunk(idx, maxBatchRows) {
		ids, holders, at := make([]string, len(chunk)), make([]string, len(chunk)), make([]time.Time, len(chunk))
		workers := make([][]byte, len(chunk))
		for k, i := range chunk {
			ids[k], holders[k], at[k] = changes[i].ID, changes[i].Start.Holder, changes[i].Start.At
			workers[k], _ = json.Marshal(changes[i].Start.Worker) // a string and an int always encode
		}
		b.Queue(startTasks, ids, holders, at, workers, statuses, domain.StartsBeyondRetries,
			string(domain.StatusRunning), domain.MaxAttemptLog)
	}
}

// queueSwaps adds the compare-and-swap statements to b, rows in id order.
func queueSwaps(b *pgx.Batch, changes []domain.TaskChange, h hinted) error {
	idx := slices.Clone(h.swaps)
	slices.SortFunc(idx, func(x, y int) int { return strings.Compare(changes[x].ID, changes[y].ID) })
	for chunk := range slices.Chunk(idx, maxBatchRows) {
		a := newTaskArrays(len(chunk))
		var status, holder []string
		var attempts []int
		var cancel []bool
		var updated []time.Time
		for _, i := range chunk {
			t := *h.next[i]
			t.Params = nil // not written; the arrays need not carry it
			if err := a.add(&t); err != nil {
				return err
			}
			s := changes[i].Seen
			status = append(status, string(s.Status))
			holder = append(holder, s.Holder)
			attempts = append(attempts, s.Attempts)
			cancel = append(cancel, s.CancelRequested)
			updated = append(updated, s.UpdatedAt)
		}
		all := a.args()
		args := make([]any, 0, len(swapColumns)+5)
		for _, i := range swapColumns {
			args = append(args, all[i])
		}
		b.Queue(swapTasks, append(args, status, holder, attempts, cancel, updated)...)
	}
	return nil
}
