package application

import (
	"context"
	"encoding/json"

	"taskrunner/domain"
)

// SearchBatchHandler runs `search_batch` tasks: every query is searched exactly as a single
// search would be (same cache keys, same search_results artifact, same run), then one
// grouped search_batch_results artifact is written. The result is {"artifact_ids" (the
// per-query artifacts in query order, then the batch artifact), "batch_artifact_id",
// "query_count", "failed_count", "cached"}. An identical batch inside the cache TTL
// returns the same artifact ids. A query whose every source fails is reported in the
// grouped artifact; the batch fails only when every query does.
type SearchBatchHandler struct {
	service *searchService
}

var _ Handler = (*SearchBatchHandler)(nil)

// NewSearchBatchHandler returns the handler, or an error naming a missing dependency.
func NewSearchBatchHandler(d SearchDeps) (*SearchBatchHandler, error) {
	s, err := newSearchService(d)
	if err != nil {
		return nil, err
	}
	return &SearchBatchHandler{service: s}, nil
}

// Validate checks params as domain.ParseSearchBatchParams says and returns them normalized:
// {"queries", "sources", "recency_days", "max_results"}.
func (h *SearchBatchHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	p, err := domain.ParseSearchBatchParams(params, limits)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// batchEntry is the cache value under SearchBatchCacheKey.
type batchEntry struct {
	ArtifactIDs     []string `json:"artifact_ids"`
	BatchArtifactID string   `json:"batch_artifact_id"`
	FailedCount     int      `json:"failed_count"`
}

// Run searches every query (identical ones once, BatchConcurrency at a time) and writes
// the grouped artifact.
func (h *SearchBatchHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p domain.SearchBatchParams
	if err := json.Unmarshal(t.Params, &p); err != nil || len(p.Queries) == 0 || len(p.Sources) == 0 || p.MaxResults < 1 {
		return nil, domain.InvalidParams("params", "stored params of search_batch task %s are not valid", t.ID)
	}
	s := h.service
	key := domain.SearchBatchKey(p)
	began := s.deps.Clock.Now()
	if e, ok := h.reuse(ctx, p, key); ok {
		s.runs.record(ctx, batchRun(key, t.ID, e, len(p.Queries), true, began, s.deps.Clock.Now()))
		return json.Marshal(batchResultJSON{ArtifactIDs: e.ArtifactIDs, BatchArtifactID: e.BatchArtifactID,
			QueryCount: len(p.Queries), FailedCount: e.FailedCount, Cached: true})
	}

	items, err := h.searchAll(ctx, t.ID, p)
	if err != nil {
		return nil, err
	}
	doc := batchDoc{Schema: searchBatchResultsSchema, Queries: p.Queries, Sources: p.Sources, RecencyDays: p.RecencyDays,
		MaxResults: p.MaxResults, QueryCount: len(p.Queries), CreatedAt: s.deps.Clock.Now()}
	tl := tally(items)
	doc.Items, doc.FailedCount = tl.items, len(tl.failures)
	if doc.FailedCount == len(items) {
		err := batchFailed(tl.failures)
		s.runs.record(ctx, batchRun(key, t.ID, batchEntry{FailedCount: doc.FailedCount}, len(items), false, began, s.deps.Clock.Now()))
		return nil, err
	}
	art, err := s.writeJSON(ctx, t.ID, domain.ArtifactSearchBatchResults, doc, map[string]any{
		"queries": p.Queries, "sources": p.Sources, "recency_days": p.RecencyDays, "max_results": p.MaxResults,
		"query_count": doc.QueryCount, "failed_count": doc.FailedCount, "request_key": key,
	})
	if err != nil {
		return nil, err
	}
	e := batchEntry{ArtifactIDs: append(tl.ids, art.ID), BatchArtifactID: art.ID, FailedCount: doc.FailedCount}
	if tl.complete {
		s.cache.set(ctx, domain.SearchBatchCacheKey(p), e)
	}
	run := batchRun(key, t.ID, e, len(items), tl.allCached, began, s.deps.Clock.Now())
	if !tl.complete {
		run.Status = domain.RunPartial
	}
	s.runs.record(ctx, run)
	return json.Marshal(batchResultJSON{ArtifactIDs: e.ArtifactIDs, BatchArtifactID: art.ID,
		QueryCount: len(items), FailedCount: doc.FailedCount, Cached: tl.allCached})
}

// batchTally sums up a batch's items.
type batchTally struct {
	items     []batchItem
	ids       []string // distinct per-query artifact ids, in query order
	failures  []error  // one per failed item
	complete  bool     // no query and no source of any query failed: the batch may be reused
	allCached bool     // no provider was called for any query
}

func tally(items []itemWithErr) batchTally {
	tl := batchTally{items: make([]batchItem, len(items)), complete: true, allCached: true}
	seen := map[string]bool{}
	for i, it := range items {
		tl.items[i] = it.batchItem
		if it.Error != nil {
			tl.failures = append(tl.failures, it.err)
			tl.complete, tl.allCached = false, false
			continue
		}
		tl.allCached = tl.allCached && it.Cached
		for _, r := range it.Providers {
			tl.complete = tl.complete && r.Status != ProviderError
		}
		if !seen[it.ArtifactID] {
			seen[it.ArtifactID] = true
			tl.ids = append(tl.ids, it.ArtifactID)
		}
	}
	return tl
}
