package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestLateStartAppliesToTheAttemptItRead(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	due := now.Add(-time.Second)
	scheduled := domain.Task{ID: "t", Type: domain.TaskEcho, Status: domain.StatusScheduled, RunAt: &due,
		MaxRetries: 2, CreatedAt: now.Add(-time.Minute), UpdatedAt: now.Add(-time.Minute)}
	ls := &domain.LateStart{Seen: scheduled, Holder: "h", Worker: domain.WorkerID{Host: "w", PID: 1}, At: now}

	same := scheduled.Clone()
	require.NoError(t, ls.Apply(&same))
	require.Equal(t, domain.StatusRunning, same.Status)
	require.Equal(t, 1, same.Attempts)
	require.True(t, same.StartedAt.Equal(now))

	promoted := scheduled.Clone()
	promoted.Status, promoted.UpdatedAt = domain.StatusQueued, now.Add(-time.Millisecond)
	require.NoError(t, ls.Apply(&promoted), "promoted to queued meanwhile: the same attempt")
	require.Equal(t, domain.StatusRunning, promoted.Status)

	cancelled := scheduled.Clone()
	_, err := cancelled.Cancel(now)
	require.NoError(t, err)
	require.ErrorIs(t, ls.Apply(&cancelled), domain.ErrConflict)

	taken := scheduled.Clone()
	require.NoError(t, taken.StartBy("other", domain.WorkerID{}, now))
	require.ErrorIs(t, ls.Apply(&taken), domain.ErrConflict, "started by another delivery")

	handedBack := taken.Clone()
	require.NoError(t, handedBack.Requeue(nil, now))
	require.Equal(t, scheduled.Attempts, handedBack.Attempts, "a hand-back does not count")
	require.ErrorIs(t, ls.Apply(&handedBack), domain.ErrConflict, "another delivery's hand-back is no promotion")
}
