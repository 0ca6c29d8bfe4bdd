package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

func TestArtifactStoreTaskReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	tasks, s := postgres.NewTaskStore(db), postgres.NewArtifactStore(db)
	task := contract.NewTask()
	_, _, err := tasks.Create(ctx, task)
	require.NoError(t, err)
	now := contract.Now()
	art := func(taskID string, at time.Time) domain.Artifact {
		return domain.Artifact{
			ID: testIDs.New(at), TaskID: taskID, Type: domain.ArtifactFetchText, ContentType: "text/plain",
			SizeBytes: 3, SHA256: "abc", CreatedAt: at, Metadata: json.RawMessage(`{"a": 1}`),
		}
	}

	second, first := art(task.ID, now.Add(time.Second)), art(task.ID, now)
	require.NoError(t, s.Create(ctx, second))
	require.NoError(t, s.Create(ctx, first))
	free := art("", now)
	require.NoError(t, s.Create(ctx, free))

	list, err := s.ListByTask(ctx, task.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, []string{first.ID, second.ID}, []string{list[0].ID, list[1].ID}, "oldest first")
	require.Equal(t, `{"a":1}`, string(list[0].Metadata))

	got, err := s.Get(ctx, free.ID)
	require.NoError(t, err)
	require.Empty(t, got.TaskID)

	require.ErrorIs(t, s.Create(ctx, art(testIDs.New(now), now)), domain.ErrNotFound, "unknown task")
	require.ErrorIs(t, s.Create(ctx, free), domain.ErrConflict, "taken id")
}
