package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// RunStore is the contract of ports.RunStore. The store may be shared with other tests
// (every test uses keys of its own). Metrics and notes come back in recorded order.
func RunStore(t *testing.T, newStore func(t *testing.T) ports.RunStore) {
	t.Helper()
	runSuite(t, newStore, []suiteCase[ports.RunStore]{
		{"Record", "StoresEveryField", runRoundTrip},
		{"Record", "WithoutMetricsNotesOrTask", runMinimal},
		{"Record", "RejectsDuplicateIDWhole", runDuplicate},
		{"Record", "StoresACopy", runCopies},
		{"HasBeenProcessed", "NoneIsFalse", runNotProcessed},
		{"HasBeenProcessed", "ReportsLatestFinish", runProcessed},
		{"HasBeenProcessed", "ScopesAreSeparate", runScopes},
		{"LatestRunForKey", "NewestFinishedWins", runLatest},
		{"LatestRunForKey", "UnknownIsNotFound", runLatestUnknown},
		{"LatestRunForKey", "NeedsTheFullKey", runLatestFullKey},
	})
}

func runKey() string { return "contract-" + randomHex(16) }

func record(t *testing.T, s ports.RunStore, r domain.Run) {
	t.Helper()
	require.NoError(t, s.Record(t.Context(), r), "Record")
}

func latest(t *testing.T, s ports.RunStore, key string) domain.Run {
	t.Helper()
	r, err := s.LatestRunForKey(t.Context(), key)
	require.NoError(t, err, "LatestRunForKey")
	return r
}

func processed(t *testing.T, s ports.RunStore, scope, key string) (bool, time.Time) {
	t.Helper()
	ok, at, err := s.HasBeenProcessed(t.Context(), scope, key)
	require.NoError(t, err, "HasBeenProcessed")
	return ok, at
}

func runRoundTrip(t *testing.T, s ports.RunStore) {
	want := NewRun(domain.ScopeSearch, runKey())
	want.Status = domain.RunPartial
	want.ArtifactIDs = []string{NewID(), NewID(), NewID()}
	want.Metrics = []domain.Metric{
		{Name: "brave.latency_ms", Value: 12.5},
		{Name: "exa.latency_ms", Value: 0},
		{Name: "brave.latency_ms", Value: -1.25e-7}, // names may repeat; order is kept
		{Name: "merged.results", Value: 1e12},
	}
	want.Notes = []domain.Note{
		{Text: "exa: 503 – retried", CreatedAt: want.StartedAt.Add(time.Millisecond)},
		{Text: "second note", CreatedAt: want.StartedAt},
		{Text: "", CreatedAt: want.FinishedAt},
	}
	record(t, s, want)
	RequireSameRun(t, want, latest(t, s, want.Key))
}

func runMinimal(t *testing.T, s ports.RunStore) {
	want := NewRun(domain.ScopeFetch, runKey())
	want.TaskID = ""
	want.Status = domain.RunFailed
	want.ArtifactIDs = nil
	want.Metrics = nil
	want.Notes = nil
	record(t, s, want)
	RequireSameRun(t, want, latest(t, s, want.Key))
}

func runDuplicate(t *testing.T, s ports.RunStore) {
	key, otherKey := runKey(), runKey()
	first := NewRun(domain.ScopeSearch, key)
	record(t, s, first)
	dup := NewRun(domain.ScopeSearch, otherKey)
	dup.ID = first.ID
	require.Error(t, s.Record(t.Context(), dup), "Record with an existing id")
	// All or nothing: no trace of the refused run.
	ok, _ := processed(t, s, domain.ScopeSearch, otherKey)
	require.False(t, ok, "the refused run was partly stored")
	RequireSameRun(t, first, latest(t, s, first.Key))
}

func runCopies(t *testing.T, s ports.RunStore) {
	in := NewRun(domain.ScopeSearch, runKey())
	want := in
	want.ArtifactIDs = append([]string(nil), in.ArtifactIDs...)
	want.Metrics = append([]domain.Metric(nil), in.Metrics...)
	want.Notes = append([]domain.Note(nil), in.Notes...)
	record(t, s, in)
	in.ArtifactIDs[0] = NewID()
	in.Metrics[0].Value = 999
	in.Notes[0].Text = "changed"
	got := latest(t, s, want.Key)
	got.Metrics[0].Value = 998
	got.Notes[0].Text = "changed too"
	RequireSameRun(t, want, latest(t, s, want.Key))
}

func runNotProcessed(t *testing.T, s ports.RunStore) {
	ok, at := processed(t, s, domain.ScopeSearch, runKey())
	require.False(t, ok)
	require.True(t, at.IsZero(), "finish time of nothing: zero, got %s", at)
}

func runProcessed(t *testing.T, s ports.RunStore) {
	key := runKey()
	newer := NewRun(domain.ScopeSearch, key)
	older := NewRun(domain.ScopeSearch, key)
	older.StartedAt = newer.StartedAt.Add(-time.Hour)
	older.FinishedAt = newer.FinishedAt.Add(-time.Hour)
	record(t, s, newer)
	record(t, s, older) // recorded last, finished first
	ok, at := processed(t, s, domain.ScopeSearch, key)
	require.True(t, ok)
	RequireSameTime(t, newer.FinishedAt, at, "latest FinishedAt")
}

func runScopes(t *testing.T, s ports.RunStore) {
	key := runKey()
	record(t, s, NewRun(domain.ScopeSearch, key))
	ok, _ := processed(t, s, domain.ScopeFetch, key)
	require.False(t, ok, "a search run does not count for fetch")
	ok, _ = processed(t, s, domain.ScopeSearch, key)
	require.True(t, ok)
}

func runLatest(t *testing.T, s ports.RunStore) {
	key := runKey()
	base := NewRun(domain.ScopeSearch, key)
	runs := make([]domain.Run, 3)
	for i := range runs {
		runs[i] = NewRun(domain.ScopeSearch, key)
		runs[i].FinishedAt = base.FinishedAt.Add(time.Duration(i) * time.Minute)
		runs[i].Metrics = []domain.Metric{{Name: "i", Value: float64(i)}}
	}
	for _, i := range []int{0, 2, 1} {
		record(t, s, runs[i])
	}
	RequireSameRun(t, runs[2], latest(t, s, base.Key))
}

func runLatestUnknown(t *testing.T, s ports.RunStore) {
	_, err := s.LatestRunForKey(t.Context(), domain.RunKey(domain.ScopeSearch, runKey()))
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func runLatestFullKey(t *testing.T, s ports.RunStore) {
	key := runKey()
	r := NewRun(domain.ScopeFetch, key)
	record(t, s, r)
	_, err := s.LatestRunForKey(t.Context(), key)
	require.ErrorIs(t, err, domain.ErrNotFound, "the bare key is not the stored key")
	RequireSameRun(t, r, latest(t, s, domain.RunKey(domain.ScopeFetch, key)))
}
