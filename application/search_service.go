package application

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults of SearchDeps' tuning fields.
const (
	DefaultSearchProviderTimeout  = 20 * time.Second
	DefaultSearchProviderAttempts = 2
	DefaultSearchRetryBase        = 500 * time.Millisecond
	DefaultSearchMaxRetryWait     = 5 * time.Second
	DefaultSearchBatchConcurrency = 4
)

// SearchDeps are what the search and search_batch handlers need. Both handlers may share
// one SearchDeps; they share state only through the ports.
type SearchDeps struct {
	Providers SearchProviders
	Cache     ports.Cache
	Runs      ports.RunStore
	Artifacts *ArtifactService
	Clock     ports.Clock
	IDs       *domain.IDGenerator
	Log       *slog.Logger
	// CacheTTL is SEARCH_CACHE_TTL_SECONDS: how long provider answers are cached and how
	// long an identical request reuses earlier artifacts. 0 turns both off.
	CacheTTL time.Duration
	// ProviderTimeout bounds one provider call (0: DefaultSearchProviderTimeout).
	ProviderTimeout time.Duration
	// ProviderAttempts is how often a transient provider failure is tried within one task
	// attempt (0: DefaultSearchProviderAttempts; 1: no in-task retry).
	ProviderAttempts int
	// RetryBase is the first in-task retry delay when the provider gave no Retry-After
	// (0: DefaultSearchRetryBase).
	RetryBase time.Duration
	// MaxRetryWait is the longest in-task wait; a provider asking for longer fails the
	// source, and the task retry (with its backoff) takes over (0: DefaultSearchMaxRetryWait).
	MaxRetryWait time.Duration
	// BatchConcurrency bounds the queries of one batch searched at once, to stay under
	// providers' per-second limits (0: DefaultSearchBatchConcurrency).
	BatchConcurrency int
	// Observer times the provider calls; nil: no metrics.
	Observer ports.WorkObserver
}

// searchService is the use case shared by both handlers: one search request, deduplicated
// against earlier identical ones, aggregated, stored as an artifact and recorded as a run.
type searchService struct {
	deps  SearchDeps
	agg   *aggregator
	cache jsonCache
	runs  runRecords
}

func newSearchService(d SearchDeps) (*searchService, error) {
	if d.Providers == nil || d.Cache == nil || d.Runs == nil || d.Artifacts == nil || d.Clock == nil || d.IDs == nil || d.Log == nil {
		return nil, errors.New("application: search needs Providers, Cache, Runs, Artifacts, Clock, IDs and Log")
	}
	if d.ProviderTimeout <= 0 {
		d.ProviderTimeout = DefaultSearchProviderTimeout
	}
	if d.ProviderAttempts <= 0 {
		d.ProviderAttempts = DefaultSearchProviderAttempts
	}
	if d.RetryBase <= 0 {
		d.RetryBase = DefaultSearchRetryBase
	}
	if d.MaxRetryWait <= 0 {
		d.MaxRetryWait = DefaultSearchMaxRetryWait
	}
	if d.BatchConcurrency <= 0 {
		d.BatchConcurrency = DefaultSearchBatchConcurrency
	}
	cache := jsonCache{cache: d.Cache, ttl: d.CacheTTL, log: d.Log, event: "search_cache_failed"}
	return &searchService{deps: d, cache: cache,
		runs: runRecords{runs: d.Runs, ids: d.IDs, log: d.Log, event: "search_run_record_failed"},
		agg: &aggregator{providers: d.Providers, cache: cache, clock: d.Clock, log: d.Log, obs: workObserverOr(d.Observer),
			timeout: d.ProviderTimeout, attempts: d.ProviderAttempts, retryBase: d.RetryBase, maxRetryWait: d.MaxRetryWait},
	}, nil
}

// searchAnswer is the answer to one search request: its search_results artifact and
// document, how it was obtained, and the providers report (alone when every source failed).
type searchAnswer struct {
	artifactID string
	doc        searchDoc
	cached     bool // no provider was called
	reused     bool // an earlier identical request's artifact was reused
	providers  map[string]ProviderReport
}

// requestEntry is the cache value under SearchRequestCacheKey.
type requestEntry struct {
	ArtifactID string `json:"artifact_id"`
}

// search runs one request for task taskID. An identical request whose artifact is younger
// than the TTL is answered with that artifact; otherwise the sources are asked (through
// their caches), a search_results artifact is written, and, when every source answered,
// the request is cached. Every search records a run.
func (s *searchService) search(ctx context.Context, taskID string, p domain.SearchParams) (searchAnswer, error) {
	key := domain.SearchRequestKey(p)
	began := s.deps.Clock.Now()
	if out, ok := s.reuse(ctx, p, key); ok {
		s.runs.record(ctx, searchRun(p, key, taskID, out, began, s.deps.Clock.Now()))
		return out, nil
	}
	agg, err := s.agg.search(ctx, p)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return searchAnswer{}, ctxErr
	}
	if err != nil {
		s.runs.record(ctx, failedSearchRun(p, key, taskID, agg, err, began, s.deps.Clock.Now()))
		return searchAnswer{providers: agg.providers}, err // the reports say why, for batches
	}
	now := s.deps.Clock.Now()
	doc := searchDoc{Schema: searchResultsSchema, Query: p.Query, Sources: p.Sources, RecencyDays: p.RecencyDays,
		MaxResults: p.MaxResults, ResultCount: len(agg.results), Results: agg.results, Providers: agg.providers, CreatedAt: now}
	art, err := s.writeJSON(ctx, taskID, domain.ArtifactSearchResults, doc, map[string]any{
		"query": p.Query, "sources": p.Sources, "recency_days": p.RecencyDays, "max_results": p.MaxResults,
		"result_count": doc.ResultCount, "request_key": key,
	})
	if err != nil {
		return searchAnswer{}, err
	}
	out := searchAnswer{artifactID: art.ID, doc: doc, cached: agg.allCached(), providers: agg.providers}
	if agg.complete() {
		s.cache.set(ctx, domain.SearchRequestCacheKey(p), requestEntry{ArtifactID: art.ID})
	}
	run := searchRun(p, key, taskID, out, began, s.deps.Clock.Now())
	for _, src := range p.Sources {
		if f := agg.failures[src]; f != nil {
			run.Status = domain.RunPartial
			run.Notes = append(run.Notes, domain.Note{Text: src + " failed: " + string(f.Code) + ": " + f.Message, CreatedAt: now})
		}
	}
	s.runs.record(ctx, run)
	return out, nil
}

// reuse finds the artifact of an earlier identical, complete request through the cache
// or, when the cache lost it, the latest run; it is reused while younger than the TTL.
func (s *searchService) reuse(ctx context.Context, p domain.SearchParams, key string) (searchAnswer, bool) {
	if s.deps.CacheTTL <= 0 {
		return searchAnswer{}, false
	}
	var id string
	var e requestEntry
	if s.cache.get(ctx, domain.SearchRequestCacheKey(p), &e) {
		id = e.ArtifactID
	} else if ids := s.runs.succeededArtifacts(ctx, domain.ScopeSearch, key); len(ids) > 0 {
		id = ids[0]
	}
	if id == "" {
		return searchAnswer{}, false
	}
	art, data, err := s.deps.Artifacts.ReadAll(ctx, id)
	if err != nil {
		s.deps.Log.WarnContext(ctx, "search_reuse_failed", "artifact_id", id, "error", err.Error())
		return searchAnswer{}, false
	}
	var doc searchDoc
	if json.Unmarshal(data, &doc) != nil || doc.Schema != searchResultsSchema || !s.fresh(art.CreatedAt) {
		return searchAnswer{}, false
	}
	providers := make(map[string]ProviderReport, len(doc.Providers))
	for src, r := range doc.Providers {
		providers[src] = ProviderReport{Status: ProviderCached, ResultCount: r.ResultCount}
	}
	return searchAnswer{artifactID: id, doc: doc, cached: true, reused: true, providers: providers}, true
}

// fresh reports whether something made at t is still inside the cache TTL.
func (s *searchService) fresh(t time.Time) bool { return s.deps.Clock.Now().Sub(t) < s.deps.CacheTTL }

func (s *searchService) writeJSON(ctx context.Context, taskID, typ string, doc any, meta map[string]any) (domain.Artifact, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return domain.Artifact{}, domain.NewError(domain.CodeInternal, "encoding the %s artifact failed", typ).WithCause(err)
	}
	m, err := json.Marshal(meta)
	if err != nil {
		return domain.Artifact{}, domain.NewError(domain.CodeInternal, "encoding the %s metadata failed", typ).WithCause(err)
	}
	return s.deps.Artifacts.Create(ctx, NewArtifact{TaskID: taskID, Type: typ, ContentType: "application/json", Data: data, Metadata: m})
}
