package domain

import (
	"math"
	"time"
)

// RecentStatsQuery asks a store about recently finished work.
type RecentStatsQuery struct {
	// HourSince and MinuteSince are the starts of the two windows (an hour and a minute
	// before now): finished tasks are counted from each.
	HourSince, MinuteSince time.Time
	// Sample bounds the run times read for the percentiles: the most recently finished
	// Sample tasks of the hour window, whatever their type.
	Sample int
}

// RecentStats is a store's answer to a RecentStatsQuery.
type RecentStats struct {
	LastHour, LastMinute FinishedCounts
	// OldestQueuedSince is when the task queued longest became queued (its UpdatedAt); nil
	// when no task is queued.
	OldestQueuedSince *time.Time
	// RunTimes are the run times (FinishedAt - StartedAt of the last attempt) of the
	// sampled succeeded and failed tasks, by type.
	RunTimes map[TaskType][]time.Duration
}

// FinishedCounts counts the tasks that reached a final state in a window.
type FinishedCounts struct {
	Finished int64 // succeeded, failed or cancelled
	Failed   int64
}

// Percentile is the p-th percentile (0..1) of sorted (ascending), interpolated linearly
// between the two nearest ranks (as PostgreSQL's percentile_cont); 0 when empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	pos := p * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	frac := pos - float64(lo)
	return sorted[lo] + time.Duration(frac*float64(sorted[hi]-sorted[lo]))
}
