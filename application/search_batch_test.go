package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

type batchDocOut struct {
	Schema      string   `json:"schema"`
	Queries     []string `json:"queries"`
	Sources     []string `json:"sources"`
	RecencyDays int      `json:"recency_days"`
	MaxResults  int      `json:"max_results"`
	QueryCount  int      `json:"query_count"`
	FailedCount int      `json:"failed_count"`
	Items       []struct {
		Index       int                                   `json:"index"`
		Query       string                                `json:"query"`
		ArtifactID  string                                `json:"artifact_id"`
		Cached      bool                                  `json:"cached"`
		ResultCount int                                   `json:"result_count"`
		Results     []domain.MergedResult                 `json:"results"`
		Providers   map[string]application.ProviderReport `json:"providers"`
		Error       *domain.TaskError                     `json:"error"`
	} `json:"items"`
	CreatedAt time.Time `json:"created_at"`
}

func TestSearchBatch(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave")
	r := newSearchRig(t, brave)

	res, tk, err := r.runBatch(t, `{"queries":["task runner","queue worker","Task  Runner"],"sources":["brave"],"recency_days":3}`)
	require.NoError(t, err)
	require.Equal(t, 3, res.QueryCount)
	require.Zero(t, res.FailedCount)
	require.False(t, res.Cached)
	require.Equal(t, 2, brave.callCount(), "identical queries in a batch are searched once")
	require.Len(t, res.ArtifactIDs, 3, "two distinct per-query artifacts, then the batch artifact")
	require.Equal(t, res.BatchArtifactID, res.ArtifactIDs[2])

	var doc batchDocOut
	a := r.artifact(t, res.BatchArtifactID, &doc)
	require.Equal(t, domain.ArtifactSearchBatchResults, a.Type)
	require.Equal(t, tk.ID, a.TaskID)
	require.Equal(t, "search_batch_results/v1", doc.Schema)
	require.Equal(t, []string{"task runner", "queue worker", "Task Runner"}, doc.Queries)
	require.Equal(t, 3, doc.RecencyDays)
	require.Len(t, doc.Items, 3)
	require.Equal(t, res.ArtifactIDs[0], doc.Items[0].ArtifactID)
	require.Equal(t, res.ArtifactIDs[1], doc.Items[1].ArtifactID)
	require.Equal(t, doc.Items[0].ArtifactID, doc.Items[2].ArtifactID)
	require.Equal(t, 2, doc.Items[2].Index)
	require.Equal(t, "Task Runner", doc.Items[2].Query)
	require.Len(t, doc.Items[1].Results, 1)
	require.Equal(t, "https://brave.example/queue-worker", doc.Items[1].Results[0].URL)
	require.Equal(t, application.ProviderOK, doc.Items[1].Providers["brave"].Status)

	var per searchDocOut
	pa := r.artifact(t, res.ArtifactIDs[1], &per)
	require.Equal(t, domain.ArtifactSearchResults, pa.Type)
	require.Equal(t, tk.ID, pa.TaskID)
	require.Equal(t, "queue worker", per.Query)

	run, err := r.runs.LatestRunForKey(context.Background(), domain.RunKey(domain.ScopeSearch, domain.SearchBatchKey(domain.SearchBatchParams{
		Queries: []string{"task runner", "queue worker", "task runner"}, Sources: []string{"brave"}, RecencyDays: 3, MaxResults: 10})))
	require.NoError(t, err)
	require.Equal(t, domain.RunSucceeded, run.Status)
	require.Equal(t, res.ArtifactIDs, run.ArtifactIDs)
	requireMetric(t, run, "query_count", 3)
	requireMetric(t, run, "failed_count", 0)
	// Each query also recorded its own search run.
	r.run(t, domain.SearchParams{Query: "queue worker", Sources: []string{"brave"}, RecencyDays: 3, MaxResults: 10})
}

func TestSearchBatchDedupeReturnsSameIDs(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave")
	r := newSearchRig(t, brave)
	params := `{"queries":["a","b"]}`
	first, _, err := r.runBatch(t, params)
	require.NoError(t, err)
	calls := brave.callCount()

	r.clock.Advance(30 * time.Minute)
	second, _, err := r.runBatch(t, params)
	require.NoError(t, err)
	require.Equal(t, first.ArtifactIDs, second.ArtifactIDs)
	require.Equal(t, first.BatchArtifactID, second.BatchArtifactID)
	require.True(t, second.Cached)
	require.Equal(t, 2, second.QueryCount)
	require.Equal(t, calls, brave.callCount(), "no provider call")

	// A single search shares the batch's per-query cache keys.
	single, _, err := r.runSearch(t, `{"query":"b"}`)
	require.NoError(t, err)
	require.True(t, single.Cached)
	require.Equal(t, first.ArtifactIDs[1], single.ArtifactIDs[0])

	// A different order is a different batch, but every query is reused.
	swapped, _, err := r.runBatch(t, `{"queries":["b","a"]}`)
	require.NoError(t, err)
	require.NotEqual(t, first.BatchArtifactID, swapped.BatchArtifactID)
	require.Equal(t, []string{first.ArtifactIDs[1], first.ArtifactIDs[0]}, swapped.ArtifactIDs[:2])
	require.True(t, swapped.Cached)
	require.Equal(t, calls, brave.callCount())

	// Past the TTL the batch is searched afresh.
	r.clock.Advance(time.Hour)
	third, _, err := r.runBatch(t, params)
	require.NoError(t, err)
	require.NotEqual(t, first.BatchArtifactID, third.BatchArtifactID)
	require.False(t, third.Cached)
	require.Equal(t, calls+2, brave.callCount())
}

func TestSearchBatchPartialFailure(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave").on("bad", searchStep{err: permanent("brave rejected the request parameters: q")}, searchStep{})
	r := newSearchRig(t, brave)
	res, _, err := r.runBatch(t, `{"queries":["good","bad"]}`)
	require.NoError(t, err)
	require.Equal(t, 1, res.FailedCount)
	require.Len(t, res.ArtifactIDs, 2, "one per-query artifact and the batch artifact")

	var doc batchDocOut
	r.artifact(t, res.BatchArtifactID, &doc)
	require.Equal(t, 1, doc.FailedCount)
	require.Empty(t, doc.Items[1].ArtifactID)
	require.NotNil(t, doc.Items[1].Error)
	require.Equal(t, domain.CodeProviderError, doc.Items[1].Error.Code)
	require.Contains(t, doc.Items[1].Error.Message, "rejected")
	require.NotNil(t, doc.Items[1].Results)
	require.Equal(t, application.ProviderError, doc.Items[1].Providers["brave"].Status, "the failed query says which source failed")

	// Not reused: the failed query is asked again, the good one comes from the cache.
	again, _, err := r.runBatch(t, `{"queries":["good","bad"]}`)
	require.NoError(t, err)
	require.False(t, again.Cached)
	require.Zero(t, again.FailedCount)
	require.NotEqual(t, res.BatchArtifactID, again.BatchArtifactID)
	require.Equal(t, res.ArtifactIDs[0], again.ArtifactIDs[0])
	require.Equal(t, 3, brave.callCount())
}

func TestSearchBatchAllFail(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{err: domain.NewError(domain.CodeProviderNotConfigured, "search source brave is not configured: set BRAVE_API_KEY")})
	r := newSearchRig(t, brave)
	_, tk, err := r.runBatch(t, `{"queries":["a","b"]}`)
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.False(t, de.Retryable)
	arts, err := r.artifacts.ListByTask(context.Background(), tk.ID)
	require.NoError(t, err)
	require.Empty(t, arts)

	flaky := newSearchFake("brave", searchStep{err: transient("brave answered HTTP 502")})
	r2 := newSearchRig(t, flaky)
	_, _, err = r2.runBatch(t, `{"queries":["a","b"]}`)
	require.True(t, domain.IsRetryable(err))
	require.Equal(t, domain.CodeProviderError, domain.CodeOf(err))
}

func TestSearchBatchHonoursCancel(t *testing.T) {
	t.Parallel()
	requireRunHonoursCancel(t, func(r *searchRig) application.Handler { return r.batch }, domain.TaskSearchBatch,
		`{"queries":["a","b","c","d","e","f"]}`)
}
