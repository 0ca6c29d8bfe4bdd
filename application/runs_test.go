package application_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

func TestRunLookupReportsTheLatestRun(t *testing.T) {
	t.Parallel()
	runs := memory.NewRunStore()
	svc, err := application.NewRunService(runs)
	require.NoError(t, err)
	ctx := context.Background()

	got, err := svc.Lookup(ctx, domain.ScopeSearch, "abc123")
	require.NoError(t, err)
	require.Equal(t, application.RunLookup{Scope: "search", Key: "abc123"}, got)

	ids := &domain.IDGenerator{}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, status := range []domain.RunStatus{domain.RunFailed, domain.RunSucceeded} {
		require.NoError(t, runs.Record(ctx, domain.Run{ID: ids.New(at), Scope: domain.ScopeSearch,
			Key: domain.RunKey(domain.ScopeSearch, "abc123"), Status: status,
			StartedAt: at, FinishedAt: at.Add(time.Duration(i+1) * time.Second)}))
	}
	got, err = svc.Lookup(ctx, domain.ScopeSearch, "abc123")
	require.NoError(t, err)
	require.True(t, got.Processed)
	require.NotNil(t, got.Latest)
	require.Equal(t, "succeeded", string(got.Latest.Status))

	got, err = svc.Lookup(ctx, domain.ScopeFetch, "abc123")
	require.NoError(t, err)
	require.False(t, got.Processed, "scopes do not share keys")
	require.Nil(t, got.Latest)
}

// A run freed between the two reads (memory mode's retention) is processed with no latest.
func TestRunLookupToleratesARunThatWent(t *testing.T) {
	t.Parallel()
	svc, err := application.NewRunService(vanishingRuns{})
	require.NoError(t, err)
	got, err := svc.Lookup(context.Background(), domain.ScopeFetch, "k")
	require.NoError(t, err)
	require.True(t, got.Processed)
	require.Nil(t, got.Latest)
}

func TestRunLookupRejectsWhatNoRunHas(t *testing.T) {
	t.Parallel()
	svc, err := application.NewRunService(memory.NewRunStore())
	require.NoError(t, err)
	for _, tc := range []struct{ scope, key, field string }{
		{"", "k", "scope"},
		{"batch", "k", "scope"},
		{"search", "", "key"},
		{"search", strings.Repeat("a", 129), "key"},
		{"search", "a\x00b", "key"},
		{"fetch", "caf\u00e9", "key"},
	} {
		_, err := svc.Lookup(context.Background(), tc.scope, tc.key)
		var de *domain.Error
		require.True(t, errors.As(err, &de), "%q/%q: %v", tc.scope, tc.key, err)
		require.Equal(t, domain.CodeInvalidRequest, de.Code)
		require.Equal(t, tc.field, de.Details["field"])
	}
	_, err = application.NewRunService(nil)
	require.Error(t, err)
}

// vanishingRuns has processed every key but holds no run any more.
type vanishingRuns struct{ ports.RunStore }

func (vanishingRuns) HasBeenProcessed(context.Context, string, string) (bool, time.Time, error) {
	return true, time.Now(), nil
}

func (vanishingRuns) LatestRunForKey(context.Context, string) (domain.Run, error) {
	return domain.Run{}, domain.ErrNotFound
}
