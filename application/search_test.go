package application_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/memory"
	"taskrunner/application"
	"taskrunner/domain"
)

func transient(msg string) error {
	return domain.NewError(domain.CodeProviderError, "%s", msg).Transient()
}

func permanent(msg string) error { return domain.NewError(domain.CodeProviderError, "%s", msg) }

func TestSearchValidateNormalizes(t *testing.T) {
	t.Parallel()
	r := newSearchRig(t)
	out, err := r.search.Validate(json.RawMessage(`{"query":"  a   b ","sources":["EXA","brave"]}`), r.limits)
	require.NoError(t, err)
	require.JSONEq(t, `{"query":"a b","sources":["brave","exa"],"recency_days":7,"max_results":10}`, string(out))

	_, err = r.search.Validate(json.RawMessage(`{"query":"x","sources":["exa"]}`), domain.DefaultLimits())
	require.Equal(t, domain.CodeInvalidParams, domain.CodeOf(err), "exa is not on the default allowlist")

	out, err = r.batch.Validate(json.RawMessage(`{"queries":["a"]}`), r.limits)
	require.NoError(t, err)
	require.JSONEq(t, `{"queries":["a"],"sources":["brave"],"recency_days":7,"max_results":10}`, string(out))
}

func TestSearchBothProviders(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{urls: []string{"https://a.example/1", "https://b.example/2?utm_source=x", "https://c.example/3"}})
	exa := newSearchFake("exa", searchStep{urls: []string{"https://b.example/2/", "https://d.example/4"}})
	r := newSearchRig(t, brave, exa)

	res, tk, err := r.runSearch(t, `{"query":"vector db","sources":["brave","exa"],"max_results":3}`)
	require.NoError(t, err)
	require.Len(t, res.ArtifactIDs, 1)
	require.Equal(t, 3, res.ResultCount, "cut at max_results")
	require.False(t, res.Cached)
	require.Equal(t, application.ProviderOK, res.Providers["brave"].Status)
	require.Equal(t, 3, res.Providers["brave"].ResultCount)
	require.Equal(t, 1, res.Providers["brave"].Attempts)
	require.Equal(t, application.ProviderOK, res.Providers["exa"].Status)
	require.Equal(t, 2, res.Providers["exa"].ResultCount)
	require.Nil(t, res.Providers["exa"].Error)
	require.Equal(t, 3, brave.lastMax)

	var doc searchDocOut
	a := r.artifact(t, res.ArtifactIDs[0], &doc)
	require.Equal(t, domain.ArtifactSearchResults, a.Type)
	require.Equal(t, tk.ID, a.TaskID)
	require.JSONEq(t, `{"query":"vector db","sources":["brave","exa"],"recency_days":7,"max_results":3,"result_count":3,
		"request_key":"`+domain.SearchRequestKey(domain.SearchParams{Query: "vector db", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 3})+`"}`, string(a.Metadata))
	require.Equal(t, "search_results/v1", doc.Schema)
	require.Equal(t, "vector db", doc.Query)
	require.Equal(t, []string{"brave", "exa"}, doc.Sources)
	require.Equal(t, r.clock.Now(), doc.CreatedAt)
	require.Len(t, doc.Results, 3)
	require.Equal(t, "https://b.example/2", doc.Results[0].URL, "found by both sources: ranked first")
	require.Equal(t, []string{"brave", "exa"}, doc.Results[0].Sources)
	require.Equal(t, 1, doc.Results[0].Rank)
	require.InDelta(t, 1.0/62+1.0/61, doc.Results[0].Score, 1e-12)
	require.Equal(t, "https://a.example/1", doc.Results[1].URL)
	require.Equal(t, "https://d.example/4", doc.Results[2].URL, "exa rank 2 ties brave rank 2 on score; URL order decides")
	require.Equal(t, res.Providers, doc.Providers)

	run := r.run(t, domain.SearchParams{Query: "vector db", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 3})
	require.Equal(t, domain.RunSucceeded, run.Status)
	require.Equal(t, domain.ScopeSearch, run.Scope)
	require.Equal(t, tk.ID, run.TaskID)
	require.Equal(t, res.ArtifactIDs, run.ArtifactIDs)
	requireMetric(t, run, "brave.result_count", 3)
	requireMetric(t, run, "exa.result_count", 2)
	requireMetric(t, run, "brave.ok", 1)
	requireMetric(t, run, "exa.cached", 0)
	requireMetric(t, run, "result_count", 3)
	requireMetric(t, run, "cached", 0)
	_, ok := metric(run, "brave.latency_ms")
	require.True(t, ok)
	processed, _, err := r.runs.HasBeenProcessed(context.Background(), domain.ScopeSearch,
		domain.SearchRequestKey(domain.SearchParams{Query: "VECTOR  db", Sources: []string{"exa", "brave"}, RecencyDays: 7, MaxResults: 3}))
	require.NoError(t, err)
	require.True(t, processed)
}

func TestSearchOneProviderFails(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{urls: []string{"https://a.example/"}})
	exa := newSearchFake("exa", searchStep{err: permanent("exa rejected the API key: EXA_API_KEY is wrong")},
		searchStep{urls: []string{"https://e.example/"}})
	r := newSearchRig(t, brave, exa)
	params := `{"query":"q","sources":["brave","exa"]}`

	res, _, err := r.runSearch(t, params)
	require.NoError(t, err, "one source answering is enough")
	require.Equal(t, 1, res.ResultCount)
	require.False(t, res.Cached)
	require.Equal(t, application.ProviderOK, res.Providers["brave"].Status)
	e := res.Providers["exa"]
	require.Equal(t, application.ProviderError, e.Status)
	require.Equal(t, domain.CodeProviderError, e.Error.Code)
	require.Equal(t, "exa rejected the API key: EXA_API_KEY is wrong", e.Error.Message)
	require.False(t, e.Error.Retryable)
	require.Equal(t, 1, e.Attempts, "permanent failures are not retried")

	var doc searchDocOut
	r.artifact(t, res.ArtifactIDs[0], &doc)
	require.Equal(t, application.ProviderError, doc.Providers["exa"].Status)

	run := r.run(t, domain.SearchParams{Query: "q", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 10})
	require.Equal(t, domain.RunPartial, run.Status)
	requireMetric(t, run, "exa.ok", 0)
	requireMetric(t, run, "brave.ok", 1)
	require.Len(t, run.Notes, 1)
	require.Contains(t, run.Notes[0].Text, "exa failed: provider_error: exa rejected the API key")

	// A partial answer is not reused: the same search asks exa again, brave comes from its cache.
	again, _, err := r.runSearch(t, params)
	require.NoError(t, err)
	require.NotEqual(t, res.ArtifactIDs, again.ArtifactIDs)
	require.False(t, again.Cached)
	require.Equal(t, application.ProviderCached, again.Providers["brave"].Status)
	require.Equal(t, application.ProviderOK, again.Providers["exa"].Status)
	require.Equal(t, 2, again.ResultCount)
	require.Equal(t, 1, brave.callCount())
	require.Equal(t, 2, exa.callCount())
}

func TestSearchAllProvidersFail(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{err: permanent("brave's monthly quota for this API key is used up")})
	exa := newSearchFake("exa", searchStep{err: func() error {
		e := domain.NewError(domain.CodeProviderError, "exa rate limit exceeded; retry later").Transient()
		e.RetryAfter = 30 * time.Second // longer than MaxRetryWait: left to the task retry
		return e
	}()})
	r := newSearchRig(t, brave, exa)

	_, tk, err := r.runSearch(t, `{"query":"q","sources":["brave","exa"]}`)
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderError, de.Code)
	require.True(t, de.Retryable, "one failure was transient")
	require.Equal(t, 30*time.Second, de.RetryAfter)
	require.Contains(t, de.Message, "quota")
	require.Contains(t, de.Message, "exa rate limit")
	require.Equal(t, 1, exa.callCount(), "a Retry-After past MaxRetryWait is not waited for in the task")

	arts, err := r.artifacts.ListByTask(context.Background(), tk.ID)
	require.NoError(t, err)
	require.Empty(t, arts)
	run := r.run(t, domain.SearchParams{Query: "q", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 10})
	require.Equal(t, domain.RunFailed, run.Status)
	require.Empty(t, run.ArtifactIDs)
	require.Len(t, run.Notes, 2)
	requireMetric(t, run, "brave.ok", 0)
	requireMetric(t, run, "exa.ok", 0)
}

func TestSearchNotConfigured(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{err: domain.NewError(domain.CodeProviderNotConfigured, "search source brave is not configured: set BRAVE_API_KEY")})
	r := newSearchRig(t, brave) // no exa and no demo registered at all

	_, _, err := r.runSearch(t, `{"query":"q","sources":["brave","exa"]}`)
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.False(t, de.Retryable)
	require.Contains(t, de.Message, "BRAVE_API_KEY")

	// With one configured source the search succeeds and names the missing one.
	r2 := newSearchRig(t, brave, newSearchFake("demo"))
	res, _, err := r2.runSearch(t, `{"query":"q","sources":["brave","demo"]}`)
	require.NoError(t, err)
	require.Equal(t, domain.CodeProviderNotConfigured, res.Providers["brave"].Error.Code)
	require.Equal(t, application.ProviderOK, res.Providers["demo"].Status)
}

func TestSearchCacheHitMakesNoProviderCall(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave")
	r := newSearchRig(t, brave)

	first, _, err := r.runSearch(t, `{"query":"Open source task runner"}`)
	require.NoError(t, err)
	require.False(t, first.Cached)
	require.Equal(t, 1, brave.callCount())

	r.clock.Advance(searchTTL - time.Minute)
	second, _, err := r.runSearch(t, `{"query":"open  source TASK runner","sources":["brave"],"recency_days":7}`)
	require.NoError(t, err)
	require.Equal(t, 1, brave.callCount(), "identical search inside the TTL calls no provider")
	require.True(t, second.Cached)
	require.Equal(t, first.ArtifactIDs, second.ArtifactIDs, "the earlier artifact is reused")
	require.Equal(t, first.ResultCount, second.ResultCount)
	require.Equal(t, application.ProviderReport{Status: application.ProviderCached, ResultCount: 1}, second.Providers["brave"])
	run := r.run(t, domain.SearchParams{Query: "open source task runner", Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 10})
	requireMetric(t, run, "cached", 1)
	requireMetric(t, run, "brave.cached", 1)
	require.Equal(t, first.ArtifactIDs, run.ArtifactIDs)

	r.clock.Advance(2 * time.Minute) // past the TTL
	third, _, err := r.runSearch(t, `{"query":"open source task runner"}`)
	require.NoError(t, err)
	require.Equal(t, 2, brave.callCount())
	require.False(t, third.Cached)
	require.NotEqual(t, first.ArtifactIDs, third.ArtifactIDs)
}

func TestSearchReusesSingleSourceAnswers(t *testing.T) {
	t.Parallel()
	brave, exa := newSearchFake("brave"), newSearchFake("exa")
	r := newSearchRig(t, brave, exa)
	_, _, err := r.runSearch(t, `{"query":"q","sources":["brave"]}`)
	require.NoError(t, err)
	_, _, err = r.runSearch(t, `{"query":"q","sources":["exa"]}`)
	require.NoError(t, err)

	both, _, err := r.runSearch(t, `{"query":"q","sources":["exa","brave"]}`)
	require.NoError(t, err)
	require.Equal(t, 1, brave.callCount())
	require.Equal(t, 1, exa.callCount())
	require.True(t, both.Cached, "no provider was called")
	require.Equal(t, application.ProviderCached, both.Providers["brave"].Status)
	require.Equal(t, application.ProviderCached, both.Providers["exa"].Status)
	require.Equal(t, 2, both.ResultCount)
}

func TestSearchReuseSurvivesCacheLoss(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave")
	r := newSearchRig(t, brave)
	first, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)

	r.deps.Cache = memory.NewCache(r.clock) // Redis flushed: the runs table still knows
	r.rebuild(t)
	second, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)
	require.True(t, second.Cached)
	require.Equal(t, first.ArtifactIDs, second.ArtifactIDs)
	require.Equal(t, 1, brave.callCount())
}

func TestSearchRetriesTransientFailureInTask(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{err: transient("brave answered HTTP 500")}, searchStep{urls: []string{"https://a.example/"}})
	r := newSearchRig(t, brave)
	res, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)
	require.Equal(t, 2, brave.callCount())
	require.Equal(t, application.ProviderOK, res.Providers["brave"].Status)
	require.Equal(t, 2, res.Providers["brave"].Attempts)
	require.Equal(t, 1, res.ResultCount)
}

func TestSearchTransientFailureLeftToTaskRetry(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave", searchStep{err: transient("brave answered HTTP 503")}, searchStep{err: transient("brave answered HTTP 503")},
		searchStep{urls: []string{"https://a.example/"}})
	r := newSearchRig(t, brave)
	_, _, err := r.runSearch(t, `{"query":"q"}`)
	require.True(t, domain.IsRetryable(err), "the worker retries the task")
	require.Equal(t, 2, brave.callCount(), "DefaultSearchProviderAttempts per task attempt")
	// The task's next attempt succeeds: nothing failed was cached.
	res, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)
	require.False(t, res.Cached)
}

func TestSearchSlowProviderTimesOut(t *testing.T) {
	t.Parallel()
	slow := newSearchFake("exa", searchStep{block: true})
	r := newSearchRig(t, newSearchFake("brave"), slow)
	r.deps.ProviderTimeout = 20 * time.Millisecond
	r.deps.ProviderAttempts = 1
	r.rebuild(t)
	res, _, err := r.runSearch(t, `{"query":"q","sources":["brave","exa"]}`)
	require.NoError(t, err)
	e := res.Providers["exa"]
	require.Equal(t, application.ProviderError, e.Status)
	require.True(t, e.Error.Retryable)
	require.Contains(t, e.Error.Message, "exa did not answer within 20ms")
}

func TestSearchHonoursCancel(t *testing.T) {
	t.Parallel()
	requireRunHonoursCancel(t, func(r *searchRig) application.Handler { return r.search }, domain.TaskSearch, `{"query":"q"}`)
}

func TestSearchCacheDisabled(t *testing.T) {
	t.Parallel()
	brave := newSearchFake("brave")
	r := newSearchRig(t, brave)
	r.deps.CacheTTL = 0
	r.rebuild(t)
	a, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)
	b, _, err := r.runSearch(t, `{"query":"q"}`)
	require.NoError(t, err)
	require.False(t, b.Cached)
	require.NotEqual(t, a.ArtifactIDs, b.ArtifactIDs)
	require.Equal(t, 2, brave.callCount())
}

func TestNewSearchHandlerNeedsDeps(t *testing.T) {
	t.Parallel()
	_, err := application.NewSearchHandler(application.SearchDeps{})
	require.Error(t, err)
	_, err = application.NewSearchBatchHandler(application.SearchDeps{})
	require.Error(t, err)

	reg, err := application.NewSearchProviders(newSearchFake("exa"), newSearchFake("brave"))
	require.NoError(t, err)
	require.Len(t, reg, 2)
	require.Equal(t, "brave", reg["brave"].Name())
	_, err = application.NewSearchProviders(newSearchFake("brave"), newSearchFake("brave"))
	require.Error(t, err)
	_, err = application.NewSearchProviders(nil)
	require.Error(t, err)
}
