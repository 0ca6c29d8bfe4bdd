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

// TestCreateManyReturnsTheStoredRows: the insert does not read its rows back, so what
// CreateMany returns must be what the table holds anyway, to the microsecond and the
// byte: params whose keys jsonb reorders, times in nanoseconds (the columns keep
// microseconds), and every optional column set.
func TestCreateManyReturnsTheStoredRows(t *testing.T) {
	t.Parallel()
	db, _ := setup(t)
	s := postgres.NewTaskStore(db)
	at := contract.Now().Add(123456789 * time.Nanosecond)
	due := at.Add(time.Hour + 987*time.Nanosecond)
	plain := contract.NewTask(func(t *domain.Task) {
		t.Params = json.RawMessage(`{"zeta": 1, "a": {"yy": [1, 2], "x": "\u00e9"}}`)
		t.CreatedAt, t.UpdatedAt = at, at
	})
	full := contract.NewTask(func(t *domain.Task) {
		t.CreatedAt, t.UpdatedAt = at, at
		t.IdempotencyKey = "written-" + t.ID
		t.Status, t.RunAt = domain.StatusScheduled, &due
		t.Priority = 1
		t.ParentID = plain.ID
		t.RetryOf = plain.ID
		t.Callback = &domain.Callback{URL: "http://127.0.0.1:9/hook", Status: "pending", NextAt: &due}
		t.AttemptLog = []domain.Attempt{}
	})
	res, err := s.CreateMany(context.Background(), []domain.Task{plain, full})
	require.NoError(t, err)
	for _, r := range res {
		require.True(t, r.Created)
		requireStoredExactly(t, s, r.Task)
	}
	require.Equal(t, at.Add(time.Hour+987*time.Nanosecond), due, "the caller's times are left as they were")
}

// requireStoredExactly requires got to be the stored row as Get reads it, field by field
// with no tolerance.
func requireStoredExactly(t *testing.T, s *postgres.TaskStore, got domain.Task) {
	t.Helper()
	stored, err := s.Get(context.Background(), got.ID)
	require.NoError(t, err)
	require.Equal(t, string(stored.Result), string(got.Result), "Result")
	require.True(t, stored.UpdatedAt.Equal(got.UpdatedAt), "UpdatedAt: stored %v, returned %v", stored.UpdatedAt, got.UpdatedAt)
	require.Equal(t, stored, got)
}
