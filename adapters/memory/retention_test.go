package memory_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// retentionRig is a retaining task store over the memory artifact, blob and run stores.
type retentionRig struct {
	t         *testing.T
	tasks     *memory.RetainingTaskStore
	artifacts *memory.ArtifactStore
	blobs     *memory.BlobStore
	runs      *memory.RunStore
	finished  int // how many tasks finish() has finished, to space their finish times
}

func newRetentionRig(t *testing.T, maxFinished int) *retentionRig {
	r := &retentionRig{t: t, artifacts: memory.NewArtifactStore(), blobs: memory.NewBlobStore(), runs: memory.NewRunStore()}
	r.tasks = memory.NewRetainingTaskStore(memory.NewTaskStore(), memory.Retention{
		MaxFinished: maxFinished, Artifacts: r.artifacts, Blobs: r.blobs, Runs: r.runs})
	return r
}

// task creates a queued task.
func (r *retentionRig) task(opts ...contract.TaskOption) string {
	r.t.Helper()
	task := contract.NewTask(opts...)
	_, created, err := r.tasks.Create(r.t.Context(), task)
	require.NoError(r.t, err)
	require.True(r.t, created)
	return task.ID
}

// finish moves a task to succeeded, each one a minute after the one before.
func (r *retentionRig) finish(id string) {
	r.t.Helper()
	r.finished++
	at := epoch.Add(time.Duration(r.finished) * time.Minute)
	_, err := r.tasks.Update(r.t.Context(), id, func(t *domain.Task) error {
		t.Status, t.FinishedAt, t.UpdatedAt = domain.StatusSucceeded, &at, at
		return nil
	})
	require.NoError(r.t, err)
}

// artifact stores data as an artifact of task ("" for none) and records a run for it.
func (r *retentionRig) artifact(task, data string) domain.Artifact {
	r.t.Helper()
	sum := sha256.Sum256([]byte(data))
	a := contract.NewArtifact(task)
	a.SHA256 = hex.EncodeToString(sum[:])
	require.NoError(r.t, r.blobs.Put(r.t.Context(), domain.BlobPut{Key: domain.BlobKey(a.SHA256),
		Body: bytes.NewReader([]byte(data)), Size: int64(len(data))}))
	require.NoError(r.t, r.artifacts.Create(r.t.Context(), a))
	run := contract.NewRun(domain.ScopeFetch, "key-of-"+a.ID)
	run.TaskID = task
	require.NoError(r.t, r.runs.Record(r.t.Context(), run))
	return a
}

func (r *retentionRig) blobExists(a domain.Artifact) bool {
	r.t.Helper()
	ok, err := r.blobs.Exists(r.t.Context(), domain.BlobKey(a.SHA256))
	require.NoError(r.t, err)
	return ok
}

func (r *retentionRig) gone(id string) bool {
	_, err := r.tasks.Get(r.t.Context(), id)
	return err != nil
}

func TestRetentionEvictsTheOldestFinishedTasksWithTheirArtifacts(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 10) // a sweep keeps 9
	waiting := r.task()         // created first, never finished: never evicted
	var ids []string
	var arts []domain.Artifact
	for i := range 10 {
		id := r.task(contract.WithIdempotencyKey(fmt.Sprintf("key-%d", i)))
		ids = append(ids, id)
		arts = append(arts, r.artifact(id, fmt.Sprintf("bytes of task %d", i)))
	}
	shared := r.artifact(ids[9], "bytes of task 0") // the same bytes as task 0's artifact
	loose := r.artifact("", "a free-standing upload")
	for _, id := range ids {
		r.finish(id)
	}
	require.False(t, r.gone(ids[0]), "10 finished tasks: at the cap, nothing goes")

	// The 11th finished task takes the store past the cap: the two that finished first go.
	eleventh := r.task()
	r.finish(eleventh)
	for i, id := range ids {
		require.Equal(t, i < 2, r.gone(id), "task %d", i)
	}
	require.False(t, r.gone(eleventh))
	require.False(t, r.gone(waiting), "unfinished tasks stay")

	_, err := r.artifacts.Get(t.Context(), arts[0].ID)
	require.ErrorIs(t, err, domain.ErrNotFound, "an evicted task's artifacts go")
	require.True(t, r.blobExists(arts[0]), "bytes another artifact still references stay")
	require.False(t, r.blobExists(arts[1]), "bytes no artifact references go")
	require.True(t, r.blobExists(arts[2]))
	require.True(t, r.blobExists(shared))
	_, err = r.artifacts.Get(t.Context(), loose.ID)
	require.NoError(t, err, "free-standing artifacts are not a task's to take")
	_, err = r.runs.LatestRunForKey(t.Context(), domain.RunKey(domain.ScopeFetch, "key-of-"+arts[1].ID))
	require.ErrorIs(t, err, domain.ErrNotFound, "an evicted task's runs go")
	_, err = r.runs.LatestRunForKey(t.Context(), domain.RunKey(domain.ScopeFetch, "key-of-"+arts[2].ID))
	require.NoError(t, err)

	counts, err := r.tasks.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.EqualValues(t, 9, counts[domain.TaskEcho][domain.StatusSucceeded])
	require.EqualValues(t, 1, counts[domain.TaskEcho][domain.StatusQueued])
	page, err := r.tasks.List(t.Context(), domain.TaskFilter{})
	require.NoError(t, err)
	require.Len(t, page.Tasks, 10)

	// The evicted task's idempotency key is free again.
	_, created, err := r.tasks.Create(t.Context(), contract.NewTask(contract.WithIdempotencyKey("key-0")))
	require.NoError(t, err)
	require.True(t, created)
	_, err = r.tasks.GetByIdempotencyKey(t.Context(), "key-2")
	require.NoError(t, err, "a kept task keeps its key")
}

// Memory stays bounded however many tasks pass through.
func TestRetentionBoundsTheStore(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 50)
	for i := range 1000 {
		id := r.task()
		r.artifact(id, fmt.Sprintf("payload %d", i))
		r.finish(id)
	}
	counts, err := r.tasks.CountByTypeStatus(t.Context())
	require.NoError(t, err)
	require.LessOrEqual(t, counts[domain.TaskEcho][domain.StatusSucceeded], int64(50))
	require.Greater(t, counts[domain.TaskEcho][domain.StatusSucceeded], int64(40))
	page, err := r.tasks.List(t.Context(), domain.TaskFilter{Limit: 500})
	require.NoError(t, err)
	require.LessOrEqual(t, len(page.Tasks), 50)
}

func TestRetentionZeroKeepsEverything(t *testing.T) {
	t.Parallel()
	r := newRetentionRig(t, 0)
	var ids []string
	for range 30 {
		id := r.task()
		r.finish(id)
		ids = append(ids, id)
	}
	require.False(t, r.gone(ids[0]))
}

// With a cap it never reaches, the retaining store is a task store like any other.
func TestRetainingTaskStoreContract(t *testing.T) {
	t.Parallel()
	contract.TaskStore(t, func(*testing.T) ports.TaskStore {
		return memory.NewRetainingTaskStore(memory.NewTaskStore(), memory.Retention{MaxFinished: 1 << 30})
	})
}
