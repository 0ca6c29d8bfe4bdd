package contract

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// DeleteTask: a final task goes with what hangs off it, whenever it finished; its blobs
// are noted and named; another task's things stay.
func retentionDeleteTask(t *testing.T, s RetentionStores) {
	doomed := finishedAt(t, s, Now())
	shared := randomHex(32)
	a1, a2 := artifactOf(t, s, doomed.ID, shared), artifactOf(t, s, doomed.ID, randomHex(32))
	runKey := runOf(t, s, doomed.ID)
	kept := finishedAt(t, s, Now())
	keptArtifact := artifactOf(t, s, kept.ID, shared)

	got, err := s.Retention.DeleteTask(t.Context(), doomed.ID)
	require.NoError(t, err, "DeleteTask")
	require.Equal(t, 2, got.Artifacts)
	require.Equal(t, 1, got.Runs)
	require.ElementsMatch(t, []string{a1.SHA256, a2.SHA256}, got.Orphans)
	requireTaskGone(t, s, doomed.ID, true)
	requireArtifactGone(t, s, a1.ID, true)
	requireArtifactGone(t, s, a2.ID, true)
	_, err = s.Runs.LatestRunForKey(t.Context(), runKey)
	require.ErrorIs(t, err, domain.ErrNotFound, "the deleted task's run")
	require.Subset(t, orphans(t, s), got.Orphans, "noted for ReleaseBlob")

	requireTaskGone(t, s, kept.ID, false)
	requireArtifactGone(t, s, keptArtifact.ID, false)
	freed, _ := release(t, s, shared)
	require.False(t, freed, "the kept task's artifact still references the shared blob")
	freed, calls := release(t, s, a2.SHA256)
	require.True(t, freed)
	require.Equal(t, 1, calls)

	_, err = s.Retention.DeleteTask(t.Context(), doomed.ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "a second delete")
}

// DeleteTask refuses a task that is not final and touches nothing; an unknown id is not
// found.
func retentionDeleteTaskRefused(t *testing.T, s RetentionStores) {
	for _, st := range []domain.Status{domain.StatusScheduled, domain.StatusQueued, domain.StatusRunning} {
		task := createTask(t, s.Tasks, NewTask(WithStatus(st)))
		a := artifactOf(t, s, task.ID, randomHex(32))
		_, err := s.Retention.DeleteTask(t.Context(), task.ID)
		require.ErrorIs(t, err, domain.ErrConflict, "status %s", st)
		var de *domain.Error
		require.ErrorAs(t, err, &de)
		require.Equal(t, domain.CodeTaskNotFinished, de.Code)
		requireTaskGone(t, s, task.ID, false)
		requireArtifactGone(t, s, a.ID, false)
	}
	_, err := s.Retention.DeleteTask(t.Context(), NewID())
	require.ErrorIs(t, err, domain.ErrNotFound)
}
