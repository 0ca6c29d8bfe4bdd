package ports

import (
	"context"

	"taskrunner/domain"
)

// TaskStats answers GET /stats about recent work, cheaply: through indexes on finished
// and queued tasks, never reading every task, and reading at most q.Sample run times.
type TaskStats interface {
	// RecentStats counts the tasks that finished (and failed) since q.HourSince and since
	// q.MinuteSince, finds the oldest queued task, and samples run times (see
	// domain.RecentStats). With no such tasks: zero counts, a nil OldestQueuedSince and an
	// empty RunTimes.
	RecentStats(ctx context.Context, q domain.RecentStatsQuery) (domain.RecentStats, error)
}
