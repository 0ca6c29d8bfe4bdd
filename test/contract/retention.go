package contract

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// RetentionStores are a retention store with the stores it deletes from, over one
// database: the suite writes through the other three and checks what is left.
type RetentionStores struct {
	Retention ports.RetentionStore
	Tasks     ports.TaskStore
	Artifacts ports.ArtifactStore
	Runs      ports.RunStore
}

// RetentionStore is the contract of ports.RetentionStore. Unlike the other store suites,
// each subtest needs stores of its own (a fresh database, fresh memory stores), as the
// queue suite does: DeleteFinished deletes every finished task past the cutoff, whoever
// wrote it.
func RetentionStore(t *testing.T, newStores func(t *testing.T) RetentionStores) {
	t.Helper()
	runSuite(t, newStores, []suiteCase[RetentionStores]{
		{"DeleteFinished", "TasksWithArtifactsAndRuns", retentionDeletesWhatHangsOff},
		{"DeleteFinished", "NeverUnfinished", retentionKeepsUnfinished},
		{"DeleteFinished", "CutoffIsStrict", retentionCutoffIsStrict},
		{"DeleteFinished", "SmallBatchesOldestFirst", retentionBatches},
		{"ReleaseBlob", "SharedBlobLastReferenceFrees", retentionSharedBlob},
		{"ReleaseBlob", "FreeStandingArtifactKeepsBlob", retentionFreeStanding},
		{"ReleaseBlob", "FailedRemoveKeepsNote", retentionRemoveFails},
		{"DeleteTask", "FinishedWithArtifactsAndRuns", retentionDeleteTask},
		{"DeleteTask", "RefusesUnfinishedAndUnknown", retentionDeleteTaskRefused},
	})
}

// era is long before any time other suites write, so the cutoffs used here never reach
// their tasks even if the task store is shared with them.
var era = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// finishedAt creates a succeeded task that finished at at.
func finishedAt(t *testing.T, s RetentionStores, at time.Time) domain.Task {
	t.Helper()
	return createTask(t, s.Tasks, NewTask(func(task *domain.Task) {
		started := at.Add(-time.Second)
		task.Status = domain.StatusSucceeded
		task.Attempts = 1
		task.CreatedAt, task.UpdatedAt = at.Add(-2*time.Second), at
		task.StartedAt, task.FinishedAt = &started, &at
	}))
}

// artifactOf stores an artifact of taskID ("" for none) whose bytes have sha256 sum.
func artifactOf(t *testing.T, s RetentionStores, taskID, sum string) domain.Artifact {
	t.Helper()
	a := NewArtifact(taskID)
	a.SHA256 = sum
	require.NoError(t, s.Artifacts.Create(t.Context(), a), "Artifacts.Create")
	return a
}

// runOf records a run of taskID and returns its full key.
func runOf(t *testing.T, s RetentionStores, taskID string) string {
	t.Helper()
	r := NewRun("search", randomHex(8))
	r.TaskID = taskID
	require.NoError(t, s.Runs.Record(t.Context(), r), "Runs.Record")
	return r.Key
}

func deleteFinished(t *testing.T, s RetentionStores, before time.Time, limit int) domain.RetentionBatch {
	t.Helper()
	b, err := s.Retention.DeleteFinished(t.Context(), domain.RetentionQuery{Before: before, Limit: limit})
	require.NoError(t, err, "DeleteFinished")
	return b
}

func requireTaskGone(t *testing.T, s RetentionStores, id string, gone bool) {
	t.Helper()
	_, err := s.Tasks.Get(t.Context(), id)
	if gone {
		require.ErrorIs(t, err, domain.ErrNotFound, "task %s should be gone", id)
		return
	}
	require.NoError(t, err, "task %s should stay", id)
}

func requireArtifactGone(t *testing.T, s RetentionStores, id string, gone bool) {
	t.Helper()
	_, err := s.Artifacts.Get(t.Context(), id)
	if gone {
		require.ErrorIs(t, err, domain.ErrNotFound, "artifact %s should be gone", id)
		return
	}
	require.NoError(t, err, "artifact %s should stay", id)
}

func orphans(t *testing.T, s RetentionStores) []string {
	t.Helper()
	out, err := s.Retention.OrphanBlobs(t.Context(), 1000)
	require.NoError(t, err, "OrphanBlobs")
	return out
}

// release settles sum and reports whether it was freed and how often remove ran.
func release(t *testing.T, s RetentionStores, sum string) (bool, int) {
	t.Helper()
	calls := 0
	freed, err := s.Retention.ReleaseBlob(t.Context(), sum, func(context.Context) error { calls++; return nil })
	require.NoError(t, err, "ReleaseBlob")
	return freed, calls
}

func retentionDeletesWhatHangsOff(t *testing.T, s RetentionStores) {
	old := finishedAt(t, s, era)
	a1, a2 := artifactOf(t, s, old.ID, randomHex(32)), artifactOf(t, s, old.ID, randomHex(32))
	runKey := runOf(t, s, old.ID)
	kept := finishedAt(t, s, era.Add(time.Hour))
	keptArtifact := artifactOf(t, s, kept.ID, randomHex(32))
	keptRun := runOf(t, s, kept.ID)

	got := deleteFinished(t, s, era.Add(time.Minute), 500)
	require.Equal(t, domain.RetentionBatch{Tasks: 1, Artifacts: 2, Runs: 1}, got)
	requireTaskGone(t, s, old.ID, true)
	requireArtifactGone(t, s, a1.ID, true)
	requireArtifactGone(t, s, a2.ID, true)
	list, err := s.Artifacts.ListByTask(t.Context(), old.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	_, err = s.Runs.LatestRunForKey(t.Context(), runKey)
	require.ErrorIs(t, err, domain.ErrNotFound, "the deleted task's run")
	require.ElementsMatch(t, []string{a1.SHA256, a2.SHA256}, orphans(t, s), "both blobs are candidates")

	requireTaskGone(t, s, kept.ID, false)
	requireArtifactGone(t, s, keptArtifact.ID, false)
	_, err = s.Runs.LatestRunForKey(t.Context(), keptRun)
	require.NoError(t, err, "the kept task's run")
	require.Equal(t, domain.RetentionBatch{}, deleteFinished(t, s, era.Add(time.Minute), 500), "nothing left")
}

func retentionKeepsUnfinished(t *testing.T, s RetentionStores) {
	var ids []string
	for _, st := range []domain.Status{domain.StatusQueued, domain.StatusRunning} {
		task := createTask(t, s.Tasks, NewTask(WithStatus(st), WithUpdatedAt(era)))
		artifactOf(t, s, task.ID, randomHex(32))
		ids = append(ids, task.ID)
	}
	require.Equal(t, domain.RetentionBatch{}, deleteFinished(t, s, Now().Add(time.Hour), 500))
	for _, id := range ids {
		requireTaskGone(t, s, id, false)
		list, err := s.Artifacts.ListByTask(t.Context(), id)
		require.NoError(t, err)
		require.Len(t, list, 1)
	}
	require.Empty(t, orphans(t, s))
}

func retentionCutoffIsStrict(t *testing.T, s RetentionStores) {
	cutoff := era.Add(time.Hour)
	before := finishedAt(t, s, cutoff.Add(-time.Microsecond))
	at := finishedAt(t, s, cutoff)
	after := finishedAt(t, s, cutoff.Add(time.Microsecond))
	require.Equal(t, 1, deleteFinished(t, s, cutoff, 500).Tasks)
	requireTaskGone(t, s, before.ID, true)
	requireTaskGone(t, s, at.ID, false)
	requireTaskGone(t, s, after.ID, false)
}

func retentionBatches(t *testing.T, s RetentionStores) {
	var tasks []domain.Task
	for i := range 5 { // created newest-finished first, so id order is not finish order
		tasks = append(tasks, finishedAt(t, s, era.Add(time.Duration(5-i)*time.Minute)))
	}
	slices.Reverse(tasks) // now in finish order
	cutoff := era.Add(time.Hour)
	require.Equal(t, 2, deleteFinished(t, s, cutoff, 2).Tasks)
	requireTaskGone(t, s, tasks[0].ID, true)
	requireTaskGone(t, s, tasks[1].ID, true)
	requireTaskGone(t, s, tasks[2].ID, false)
	require.Equal(t, 2, deleteFinished(t, s, cutoff, 2).Tasks)
	require.Equal(t, 1, deleteFinished(t, s, cutoff, 2).Tasks)
	require.Equal(t, 0, deleteFinished(t, s, cutoff, 2).Tasks)
}

func retentionSharedBlob(t *testing.T, s RetentionStores) {
	shared := randomHex(32)
	first := finishedAt(t, s, era)
	second := finishedAt(t, s, era.Add(24*time.Hour))
	artifactOf(t, s, first.ID, shared)
	last := artifactOf(t, s, second.ID, shared)

	require.Equal(t, 1, deleteFinished(t, s, era.Add(time.Hour), 500).Tasks)
	require.Contains(t, orphans(t, s), shared)
	freed, calls := release(t, s, shared)
	require.False(t, freed, "the second task's artifact still references the blob")
	require.Zero(t, calls, "remove must not run while an artifact references the blob")
	require.NotContains(t, orphans(t, s), shared, "the note is settled")
	requireArtifactGone(t, s, last.ID, false)

	require.Equal(t, 1, deleteFinished(t, s, era.Add(48*time.Hour), 500).Tasks)
	freed, calls = release(t, s, shared)
	require.True(t, freed, "its last artifact went")
	require.Equal(t, 1, calls)
	freed, calls = release(t, s, shared)
	require.False(t, freed, "already settled")
	require.Zero(t, calls)
	require.Empty(t, orphans(t, s))
}

func retentionFreeStanding(t *testing.T, s RetentionStores) {
	shared := randomHex(32)
	task := finishedAt(t, s, era)
	artifactOf(t, s, task.ID, shared)
	loose := artifactOf(t, s, "", shared)
	require.Equal(t, 1, deleteFinished(t, s, era.Add(time.Hour), 500).Tasks)
	freed, calls := release(t, s, shared)
	require.False(t, freed)
	require.Zero(t, calls)
	requireArtifactGone(t, s, loose.ID, false)
}

func retentionRemoveFails(t *testing.T, s RetentionStores) {
	sum := randomHex(32)
	task := finishedAt(t, s, era)
	artifactOf(t, s, task.ID, sum)
	require.Equal(t, 1, deleteFinished(t, s, era.Add(time.Hour), 500).Tasks)
	boom := errors.New("blob store down")
	freed, err := s.Retention.ReleaseBlob(t.Context(), sum, func(context.Context) error { return boom })
	require.ErrorIs(t, err, boom)
	require.False(t, freed)
	require.Contains(t, orphans(t, s), sum, "kept for a later pass")
	freed, calls := release(t, s, sum)
	require.True(t, freed)
	require.Equal(t, 1, calls)
}
