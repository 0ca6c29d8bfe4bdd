package application_test

import (
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/test/logcapture"
)

// retentionRig is the retention service over memory stores with a fake clock, with the
// artifact service writing artifacts the way handlers and uploads do.
type retentionRig struct {
	clock     *memory.FakeClock
	tasks     *memory.TaskStore
	artifacts *memory.ArtifactStore
	runs      *memory.RunStore
	blobs     *memory.BlobStore
	svc       *application.ArtifactService
	retention *application.Retention
	removed   *removalTally
	logs      *logcapture.Buffer
	ids       domain.IDGenerator
}

type removalTally struct {
	mu                      sync.Mutex
	tasks, artifacts, blobs int
}

func (o *removalTally) RetentionRemoved(tasks, artifacts, blobs int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tasks, o.artifacts, o.blobs = o.tasks+tasks, o.artifacts+artifacts, o.blobs+blobs
}

func newRetentionRig(t *testing.T, days int) *retentionRig {
	t.Helper()
	r := &retentionRig{
		clock: memory.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), tasks: memory.NewTaskStore(),
		artifacts: memory.NewArtifactStore(), runs: memory.NewRunStore(), blobs: memory.NewBlobStore(),
		removed: &removalTally{}, logs: &logcapture.Buffer{},
	}
	log := slog.New(slog.NewJSONHandler(r.logs, nil))
	var err error
	r.svc, err = application.NewArtifactService(application.ArtifactDeps{Store: r.artifacts, Blobs: r.blobs,
		Tasks: r.tasks, Limiter: memory.NewRateLimiter(r.clock), Clock: r.clock, IDs: &r.ids,
		Limits: domain.DefaultLimits(), Log: log})
	require.NoError(t, err)
	r.retention, err = application.NewRetention(application.RetentionDeps{
		Store: memory.NewRetentionStore(r.tasks, r.artifacts, r.runs), Blobs: r.blobs, Clock: r.clock,
		Observer: r.removed, Log: log,
	}, application.RetentionConfig{Days: days, BatchSize: 2}) // small batches: a pass takes several
	require.NoError(t, err)
	return r
}

// task stores a task in status st, finished now when st is final.
func (r *retentionRig) task(t *testing.T, st domain.Status) domain.Task {
	t.Helper()
	now := r.clock.Now()
	task := domain.Task{ID: r.ids.New(now), Type: domain.TaskEcho, Status: st, Params: json.RawMessage(`{}`),
		TimeoutSeconds: 60, CreatedAt: now, UpdatedAt: now}
	if st.Terminal() {
		task.FinishedAt = &now
	}
	_, _, err := r.tasks.Create(t.Context(), task)
	require.NoError(t, err)
	return task
}

func (r *retentionRig) artifact(t *testing.T, taskID, data string) domain.Artifact {
	t.Helper()
	a, err := r.svc.Create(t.Context(), application.NewArtifact{TaskID: taskID, Type: "log",
		ContentType: "text/plain", Data: []byte(data)})
	require.NoError(t, err)
	return a
}

func (r *retentionRig) blobExists(t *testing.T, a domain.Artifact) bool {
	t.Helper()
	ok, err := r.blobs.Exists(t.Context(), domain.BlobKey(a.SHA256))
	require.NoError(t, err)
	return ok
}

func TestRetentionDeletesOldTasksAndTheirLastBlobs(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 30)
	old := r.task(t, domain.StatusSucceeded)
	oldShared := r.artifact(t, old.ID, "shared bytes")
	oldOnly := r.artifact(t, old.ID, "only the old task's bytes")
	run := domain.Run{ID: r.ids.New(r.clock.Now()), Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, "q"),
		TaskID: old.ID, Status: domain.RunSucceeded, StartedAt: r.clock.Now(), FinishedAt: r.clock.Now()}
	require.NoError(t, r.runs.Record(t.Context(), run))
	stillRunning := r.task(t, domain.StatusRunning)
	var alsoOld []domain.Task // more than one batch's worth
	for range 3 {
		alsoOld = append(alsoOld, r.task(t, domain.StatusFailed))
	}

	r.clock.Advance(10 * 24 * time.Hour)
	younger := r.task(t, domain.StatusCancelled)
	youngerShared := r.artifact(t, younger.ID, "shared bytes")
	require.Equal(t, oldShared.SHA256, youngerShared.SHA256, "same bytes, same blob")

	// 30 days after the old tasks finished, they are exactly at the cutoff: kept.
	r.clock.Advance(20 * 24 * time.Hour)
	pass, err := r.retention.RunOnce(t.Context())
	require.NoError(t, err)
	require.Equal(t, application.RetentionPass{}, pass)

	r.clock.Advance(time.Second)
	pass, err = r.retention.RunOnce(t.Context())
	require.NoError(t, err)
	require.Equal(t, application.RetentionPass{RetentionBatch: domain.RetentionBatch{Tasks: 4, Artifacts: 2, Runs: 1}, Blobs: 1}, pass)
	for _, id := range []string{old.ID, alsoOld[0].ID, alsoOld[1].ID, alsoOld[2].ID} {
		_, err := r.tasks.Get(t.Context(), id)
		require.ErrorIs(t, err, domain.ErrNotFound)
	}
	_, err = r.artifacts.Get(t.Context(), oldShared.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
	_, err = r.runs.LatestRunForKey(t.Context(), run.Key)
	require.ErrorIs(t, err, domain.ErrNotFound)
	require.False(t, r.blobExists(t, oldOnly), "its only artifact went")
	require.True(t, r.blobExists(t, oldShared), "the younger task's artifact still needs the shared blob")
	_, data, err := r.svc.ReadAll(t.Context(), youngerShared.ID)
	require.NoError(t, err)
	require.Equal(t, "shared bytes", string(data))
	_, err = r.tasks.Get(t.Context(), stillRunning.ID)
	require.NoError(t, err, "an unfinished task is never deleted, however old")

	r.clock.Advance(10 * 24 * time.Hour)
	pass, err = r.retention.RunOnce(t.Context())
	require.NoError(t, err)
	require.Equal(t, application.RetentionPass{RetentionBatch: domain.RetentionBatch{Tasks: 1, Artifacts: 1}, Blobs: 1}, pass)
	require.False(t, r.blobExists(t, youngerShared), "its last artifact went")
	_, err = r.tasks.Get(t.Context(), stillRunning.ID)
	require.NoError(t, err)

	require.Equal(t, &removalTally{tasks: 5, artifacts: 3, blobs: 2}, r.removed)
	events := r.logs.Events("retention_pass")
	require.Len(t, events, 2, "a pass that removed nothing is logged at debug only")
	require.EqualValues(t, 4, events[0]["tasks"])
	require.EqualValues(t, 1, events[0]["blobs"])
}

func TestRetentionZeroDaysKeepsEverything(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 0)
	task := r.task(t, domain.StatusSucceeded)
	a := r.artifact(t, task.ID, "kept")
	r.clock.Advance(100 * 365 * 24 * time.Hour)
	pass, err := r.retention.RunOnce(t.Context())
	require.NoError(t, err)
	require.Equal(t, application.RetentionPass{}, pass)
	_, err = r.tasks.Get(t.Context(), task.ID)
	require.NoError(t, err)
	require.True(t, r.blobExists(t, a))
}

// An artifact written with the bytes of a blob retention is freeing still has its bytes:
// either the release sees the new artifact, or the artifact service puts the bytes back.
func TestArtifactWrittenWhileItsBlobIsFreedKeepsItsBytes(t *testing.T) {
	t.Parallel()
	for range 50 {
		r := newRetentionRig(t, 1)
		old := r.task(t, domain.StatusSucceeded)
		r.artifact(t, old.ID, "contended bytes")
		r.clock.Advance(48 * time.Hour)
		var wg sync.WaitGroup
		var fresh domain.Artifact
		wg.Add(1)
		go func() {
			defer wg.Done()
			fresh = r.artifact(t, "", "contended bytes")
		}()
		_, err := r.retention.RunOnce(t.Context())
		require.NoError(t, err)
		wg.Wait()
		_, data, err := r.svc.ReadAll(t.Context(), fresh.ID)
		require.NoError(t, err, "the new artifact's bytes are there")
		require.Equal(t, "contended bytes", string(data))
	}
}

func TestRetentionRejectsOutOfRangeDays(t *testing.T) {
	t.Parallel()
	deps := application.RetentionDeps{Store: memory.NewRetentionStore(memory.NewTaskStore(), memory.NewArtifactStore(),
		memory.NewRunStore()), Blobs: memory.NewBlobStore(), Clock: memory.NewFakeClock(time.Now()),
		Log: slog.New(slog.DiscardHandler)}
	for _, days := range []int{-1, domain.MaxTaskRetentionDays + 1} {
		_, err := application.NewRetention(deps, application.RetentionConfig{Days: days})
		require.Error(t, err, "days %d", days)
	}
}

func TestRetentionStopsWhenAsked(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 30)
	require.NoError(t, r.retention.Start(t.Context()))
	require.Error(t, r.retention.Start(t.Context()), "a second Start")
	require.NoError(t, r.retention.Stop(t.Context()))
	require.NoError(t, r.retention.Stop(t.Context()), "Stop is idempotent")
}
