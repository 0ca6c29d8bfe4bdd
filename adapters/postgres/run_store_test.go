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

func TestRunStoreRecordIsAtomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewRunStore(db)
	now := contract.Now()
	run := domain.Run{
		ID: testIDs.New(now), Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, "q"),
		Status: domain.RunSucceeded, StartedAt: now, FinishedAt: now,
		ArtifactIDs: []string{testIDs.New(now)},
		Metrics:     []domain.Metric{{Name: "b", Value: 2}, {Name: "a", Value: 1.5}, {Name: "b", Value: 3}},
		Notes:       []domain.Note{{Text: "second? no, first", CreatedAt: now}, {Text: "then", CreatedAt: now}},
	}
	require.NoError(t, s.Record(ctx, run))
	got, err := s.LatestRunForKey(ctx, run.Key)
	require.NoError(t, err)
	require.Equal(t, run, got, "metrics and notes keep their order, duplicates included")

	// Recording the same id again fails as a whole: no second set of metrics appears.
	again := run
	again.Metrics = []domain.Metric{{Name: "c", Value: 9}}
	require.ErrorIs(t, s.Record(ctx, again), domain.ErrConflict)
	got, err = s.LatestRunForKey(ctx, run.Key)
	require.NoError(t, err)
	require.Equal(t, run.Metrics, got.Metrics)
}

func TestRunStoreLatestAndProcessed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	s := postgres.NewRunStore(db)
	base := contract.Now()

	ok, last, err := s.HasBeenProcessed(ctx, domain.ScopeFetch, "u")
	require.NoError(t, err)
	require.False(t, ok)
	require.True(t, last.IsZero())
	_, err = s.LatestRunForKey(ctx, domain.RunKey(domain.ScopeFetch, "u"))
	require.ErrorIs(t, err, domain.ErrNotFound)

	for i, status := range []domain.RunStatus{domain.RunFailed, domain.RunSucceeded, domain.RunPartial} {
		at := base.Add(time.Duration(i) * time.Second)
		if status == domain.RunPartial {
			at = base.Add(-time.Hour) // recorded last, finished first
		}
		require.NoError(t, s.Record(ctx, domain.Run{
			ID: testIDs.New(at), Scope: domain.ScopeFetch, Key: domain.RunKey(domain.ScopeFetch, "u"),
			Status: status, StartedAt: at, FinishedAt: at,
		}))
	}
	ok, last, err = s.HasBeenProcessed(ctx, domain.ScopeFetch, "u")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, base.Add(time.Second), last)
	got, err := s.LatestRunForKey(ctx, domain.RunKey(domain.ScopeFetch, "u"))
	require.NoError(t, err)
	require.Equal(t, domain.RunSucceeded, got.Status)
	require.Empty(t, got.Metrics)
	require.Empty(t, got.ArtifactIDs)
}
