package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// TaskStatsStores are a ports.TaskStats with the task store it reads, over one database.
type TaskStatsStores struct {
	Stats ports.TaskStats
	Tasks ports.TaskStore
}

// TaskStats is the contract of ports.TaskStats. Each subtest needs stores of its own: the
// answers count every task.
func TaskStats(t *testing.T, newStores func(t *testing.T) TaskStatsStores) {
	t.Helper()
	runSuite(t, newStores, []suiteCase[TaskStatsStores]{
		{"RecentStats", "EmptyStore", statsEmpty},
		{"RecentStats", "CountsWindowsAndRunTimes", statsCounts},
		{"RecentStats", "SampleBoundsRunTimes", statsSample},
	})
}

// statsTask creates a task of typ in status st; finished (for a final st) at finished,
// started run before (no start when run is 0); updated at finished, or at updated.
func statsTask(t *testing.T, s TaskStatsStores, typ domain.TaskType, st domain.Status, finished time.Time, run time.Duration) domain.Task {
	t.Helper()
	return createTask(t, s.Tasks, NewTask(WithType(typ), WithStatus(st), func(task *domain.Task) {
		task.CreatedAt = finished.Add(-time.Hour)
		task.UpdatedAt = finished
		if run > 0 {
			started := finished.Add(-run)
			task.StartedAt = &started
			task.Attempts = 1
		}
		if st.Terminal() {
			task.FinishedAt = &finished
		}
		if st == domain.StatusSucceeded {
			task.Result = []byte(`{}`)
		}
		if st == domain.StatusFailed || st == domain.StatusCancelled {
			task.Error = &domain.TaskError{Code: domain.CodeInternal, Message: "x"}
		}
	}))
}

func recentStats(t *testing.T, s TaskStatsStores, now time.Time, sample int) domain.RecentStats {
	t.Helper()
	got, err := s.Stats.RecentStats(t.Context(), domain.RecentStatsQuery{
		HourSince: now.Add(-time.Hour), MinuteSince: now.Add(-time.Minute), Sample: sample})
	require.NoError(t, err, "RecentStats")
	return got
}

func statsEmpty(t *testing.T, s TaskStatsStores) {
	got := recentStats(t, s, Now(), 10)
	require.Zero(t, got.LastHour)
	require.Zero(t, got.LastMinute)
	require.Nil(t, got.OldestQueuedSince)
	require.Empty(t, got.RunTimes)
}

func statsCounts(t *testing.T, s TaskStatsStores) {
	now := Now()
	statsTask(t, s, domain.TaskEcho, domain.StatusSucceeded, now.Add(-10*time.Second), 2*time.Second)
	statsTask(t, s, domain.TaskEcho, domain.StatusSucceeded, now.Add(-30*time.Second), 4*time.Second)
	statsTask(t, s, domain.TaskEcho, domain.StatusFailed, now.Add(-20*time.Minute), time.Second)
	statsTask(t, s, domain.TaskSleep, domain.StatusCancelled, now.Add(-5*time.Second), 0)         // never started
	statsTask(t, s, domain.TaskSleep, domain.StatusSucceeded, now.Add(-2*time.Hour), time.Second) // outside the hour
	statsTask(t, s, domain.TaskSleep, domain.StatusFailed, now.Add(-90*time.Second), 1500*time.Millisecond)
	oldest := now.Add(-90 * time.Second)
	statsTask(t, s, domain.TaskEcho, domain.StatusQueued, oldest, 0)
	statsTask(t, s, domain.TaskEcho, domain.StatusQueued, now.Add(-30*time.Second), 0)
	statsTask(t, s, domain.TaskEcho, domain.StatusRunning, now.Add(-3*time.Hour), time.Second)

	got := recentStats(t, s, now, 10)
	require.Equal(t, domain.FinishedCounts{Finished: 5, Failed: 2}, got.LastHour)
	require.Equal(t, domain.FinishedCounts{Finished: 3, Failed: 0}, got.LastMinute)
	require.NotNil(t, got.OldestQueuedSince)
	require.True(t, oldest.Equal(*got.OldestQueuedSince), "oldest queued since %s, got %s", oldest, got.OldestQueuedSince)
	require.ElementsMatch(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, got.RunTimes[domain.TaskEcho])
	require.ElementsMatch(t, []time.Duration{1500 * time.Millisecond}, got.RunTimes[domain.TaskSleep])
	require.Len(t, got.RunTimes, 2)
}

// Only the Sample most recently finished runs are read, cancelled and unstarted tasks
// not among them.
func statsSample(t *testing.T, s TaskStatsStores) {
	now := Now()
	statsTask(t, s, domain.TaskEcho, domain.StatusCancelled, now.Add(-time.Second), 0)
	statsTask(t, s, domain.TaskEcho, domain.StatusSucceeded, now.Add(-10*time.Second), 2*time.Second)
	statsTask(t, s, domain.TaskEcho, domain.StatusFailed, now.Add(-20*time.Second), 3*time.Second)
	statsTask(t, s, domain.TaskEcho, domain.StatusSucceeded, now.Add(-30*time.Second), 4*time.Second)
	got := recentStats(t, s, now, 2)
	require.ElementsMatch(t, []time.Duration{2 * time.Second, 3 * time.Second}, got.RunTimes[domain.TaskEcho])
	require.Equal(t, domain.FinishedCounts{Finished: 4, Failed: 1}, got.LastMinute, "counts are not sampled")
}
