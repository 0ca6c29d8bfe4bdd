package application

import (
	"context"
	"errors"
	"slices"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// StatsRunSample bounds the run-time percentiles: they read at most this many of the
// hour's most recently finished tasks. The counts by type and status need no bound: the
// store keeps them as it writes (ports.TaskStore.CountByTypeStatus), so each report reads
// them afresh.
const StatsRunSample = 1000

// StatsDeps are the ports GET /stats needs.
type StatsDeps struct {
	Store ports.TaskStore
	Stats ports.TaskStats
	Clock ports.Clock
}

// StatsService answers GET /stats.
type StatsService struct {
	deps StatsDeps
}

// NewStatsService returns the service, or an error naming a missing dependency.
func NewStatsService(d StatsDeps) (*StatsService, error) {
	if d.Store == nil || d.Stats == nil || d.Clock == nil {
		return nil, errors.New("application: stats need Store, Stats and Clock")
	}
	return &StatsService{deps: d}, nil
}

// TaskStatsReport is what GET /stats shows.
type TaskStatsReport struct {
	At       time.Time
	ByStatus map[domain.Status]int64   // every status, zeros included
	ByType   map[domain.TaskType]int64 // every known type, zeros included
	// CountsAt is when the counts were read: the report's own time, as they are read
	// afresh for every report.
	CountsAt             time.Time
	LastMinute, LastHour domain.FinishedCounts
	// OldestQueuedAge is how long the task queued longest has waited; nil when none.
	OldestQueuedAge *time.Duration
	// RunTimes are per type percentiles over the hour's sample; a type without finished
	// runs in the sample is absent.
	RunTimes map[domain.TaskType]RunTimeStats
}

// RunTimeStats are the run-time percentiles of one task type.
type RunTimeStats struct {
	P50, P95 time.Duration
	Sample   int // runs they are computed from
}

// Report gathers the stats.
func (s *StatsService) Report(ctx context.Context) (TaskStatsReport, error) {
	now := s.deps.Clock.Now()
	counts, err := s.deps.Store.CountByTypeStatus(ctx)
	if err != nil {
		return TaskStatsReport{}, err
	}
	recent, err := s.deps.Stats.RecentStats(ctx, domain.RecentStatsQuery{
		HourSince: now.Add(-time.Hour), MinuteSince: now.Add(-time.Minute), Sample: StatsRunSample})
	if err != nil {
		return TaskStatsReport{}, err
	}
	r := TaskStatsReport{At: now, CountsAt: now, ByStatus: map[domain.Status]int64{}, ByType: map[domain.TaskType]int64{},
		LastMinute: recent.LastMinute, LastHour: recent.LastHour, RunTimes: map[domain.TaskType]RunTimeStats{}}
	for _, st := range domain.AllStatuses {
		r.ByStatus[st] = 0
	}
	for _, typ := range domain.KnownTaskTypes {
		r.ByType[typ] = 0
	}
	for typ, byStatus := range counts {
		for st, n := range byStatus {
			r.ByStatus[st] += n
			r.ByType[typ] += n
		}
	}
	if recent.OldestQueuedSince != nil {
		age := max(now.Sub(*recent.OldestQueuedSince), 0)
		r.OldestQueuedAge = &age
	}
	for typ, runs := range recent.RunTimes {
		sorted := slices.Clone(runs)
		slices.Sort(sorted)
		r.RunTimes[typ] = RunTimeStats{P50: domain.Percentile(sorted, 0.5), P95: domain.Percentile(sorted, 0.95), Sample: len(sorted)}
	}
	return r, nil
}
