package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskStats = (*TaskStore)(nil)

// The questions of GET /stats, each answered by an index: finished tasks by finished_at
// (the partial index of migration 0010 holds only final rows), the oldest queued task by
// the unfinished (status, updated_at, id) index of migration 0006. Run times read the
// newest $2 finished rows of the hour only.
const (
	countFinished = `SELECT count(*) FILTER (WHERE finished_at >= $1),
    count(*) FILTER (WHERE finished_at >= $1 AND status = 'failed'),
    count(*) FILTER (WHERE finished_at >= $2),
    count(*) FILTER (WHERE finished_at >= $2 AND status = 'failed')
FROM tasks WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at >= $1`
	oldestQueued = `SELECT updated_at FROM tasks WHERE status = 'queued' ORDER BY updated_at, id LIMIT 1`
	sampleRuns   = `SELECT type, extract(epoch FROM finished_at - started_at)::float8 FROM tasks
WHERE status IN ('succeeded', 'failed') AND finished_at >= $1 AND started_at IS NOT NULL
ORDER BY finished_at DESC, id DESC LIMIT $2`
)

// RecentStats implements ports.TaskStats: three index-bounded queries sent together in
// one round trip.
func (s *TaskStore) RecentStats(ctx context.Context, q domain.RecentStatsQuery) (domain.RecentStats, error) {
	ctx, cancel := s.db.timeout(ctx)
	defer cancel()
	out := domain.RecentStats{RunTimes: map[domain.TaskType][]time.Duration{}}
	b := &pgx.Batch{}
	b.Queue(countFinished, q.HourSince, q.MinuteSince)
	b.Queue(oldestQueued)
	b.Queue(sampleRuns, q.HourSince, max(q.Sample, 0))
	br := s.db.pool.SendBatch(ctx, b)
	defer abandonBatch(br)
	if err := br.QueryRow().Scan(&out.LastHour.Finished, &out.LastHour.Failed,
		&out.LastMinute.Finished, &out.LastMinute.Failed); err != nil {
		return out, translate(err)
	}
	var oldest time.Time
	switch err := br.QueryRow().Scan(&oldest); {
	case err == nil:
		oldest = oldest.UTC()
		out.OldestQueuedSince = &oldest
	case !errors.Is(err, pgx.ErrNoRows):
		return out, translate(err)
	}
	rows, err := br.Query()
	if err != nil {
		return out, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var secs float64
		if err := rows.Scan(&typ, &secs); err != nil {
			return out, translate(err)
		}
		d := time.Duration(secs * float64(time.Second)).Round(time.Microsecond)
		out.RunTimes[domain.TaskType(typ)] = append(out.RunTimes[domain.TaskType(typ)], d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, translate(err)
	}
	return out, translate(br.Close()) // a failure of the batch itself is reported here only
}
