package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// An artifact of a blob being released waits for the release: it commits after the bytes
// are gone (and the artifact service then puts them again), never between the check that
// nothing references them and their deletion.
func TestArtifactOfABlobBeingReleasedWaitsForIt(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	tasks, arts, ret := postgres.NewTaskStore(db), postgres.NewArtifactStore(db), postgres.NewRetentionStore(db)
	ctx := t.Context()
	finished := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	old := contract.NewTask(func(task *domain.Task) {
		task.Status, task.UpdatedAt, task.CreatedAt, task.FinishedAt = domain.StatusSucceeded, finished, finished, &finished
	})
	_, _, err := tasks.Create(ctx, old)
	require.NoError(t, err)
	first := contract.NewArtifact(old.ID)
	require.NoError(t, arts.Create(ctx, first))
	b, err := ret.DeleteFinished(ctx, domain.RetentionQuery{Before: finished.Add(time.Hour), Limit: 10})
	require.NoError(t, err)
	require.Equal(t, 1, b.Tasks)

	// A second artifact of the same bytes arrives while the blob is being removed.
	late := contract.NewArtifact("")
	late.SHA256 = first.SHA256
	created := make(chan error, 1)
	freed, err := ret.ReleaseBlob(ctx, first.SHA256, func(ctx context.Context) error {
		go func() { created <- arts.Create(context.WithoutCancel(ctx), late) }()
		waitForBlobLockWaiter(t, db, first.SHA256)
		select {
		case err := <-created:
			t.Errorf("the artifact committed while its blob was being removed (err %v)", err)
		default:
		}
		return nil
	})
	require.NoError(t, err)
	require.True(t, freed, "nothing referenced the blob when it was checked")
	select {
	case err := <-created:
		require.NoError(t, err, "the artifact is written once the release is over")
	case <-time.After(10 * time.Second):
		t.Fatal("the artifact never committed")
	}
	_, err = arts.Get(ctx, late.ID)
	require.NoError(t, err)
}

// waitForBlobLockWaiter polls until a session waits for the lock of the blob sum.
func waitForBlobLockWaiter(t *testing.T, db *postgres.DB, sum string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := postgres.WaitingForBlobLock(t.Context(), db, sum)
		require.NoError(t, err)
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no session ever waited for the blob's lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
