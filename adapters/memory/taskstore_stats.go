package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.TaskStats = (*TaskStore)(nil)

// RecentStats implements ports.TaskStats. Memory mode keeps a bounded number of finished
// tasks (MEMORY_MAX_FINISHED_TASKS), so one pass over them under the read lock is cheap.
func (s *TaskStore) RecentStats(ctx context.Context, q domain.RecentStatsQuery) (domain.RecentStats, error) {
	if err := ctx.Err(); err != nil {
		return domain.RecentStats{}, err
	}
	out := domain.RecentStats{RunTimes: map[domain.TaskType][]time.Duration{}}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var sample []*domain.Task
	for _, t := range s.tasks {
		if t.Status == domain.StatusQueued && (out.OldestQueuedSince == nil || t.UpdatedAt.Before(*out.OldestQueuedSince)) {
			at := t.UpdatedAt
			out.OldestQueuedSince = &at
		}
		if !t.Status.Terminal() || t.FinishedAt == nil || t.FinishedAt.Before(q.HourSince) {
			continue
		}
		count(&out.LastHour, t)
		if !t.FinishedAt.Before(q.MinuteSince) {
			count(&out.LastMinute, t)
		}
		if t.Status != domain.StatusCancelled && t.StartedAt != nil {
			sample = append(sample, t)
		}
	}
	// The most recently finished first, as the PostgreSQL store's index hands them over.
	slices.SortFunc(sample, func(a, b *domain.Task) int {
		if c := b.FinishedAt.Compare(*a.FinishedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	for _, t := range sample[:min(len(sample), max(q.Sample, 0))] {
		out.RunTimes[t.Type] = append(out.RunTimes[t.Type], t.FinishedAt.Sub(*t.StartedAt))
	}
	for typ := range out.RunTimes {
		slices.Sort(out.RunTimes[typ])
	}
	return out, nil
}

func count(c *domain.FinishedCounts, t *domain.Task) {
	c.Finished++
	if t.Status == domain.StatusFailed {
		c.Failed++
	}
}
