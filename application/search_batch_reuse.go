package application

import (
	"context"
	"time"

	"taskrunner/domain"
)

// reuse finds the artifacts of an earlier identical, complete batch through the cache or,
// when the cache lost them, the latest batch run (whose last artifact id is the grouped
// one). They are reused while the grouped artifact is younger than the TTL.
func (h *SearchBatchHandler) reuse(ctx context.Context, p domain.SearchBatchParams, key string) (batchEntry, bool) {
	s := h.service
	if s.deps.CacheTTL <= 0 {
		return batchEntry{}, false
	}
	var e batchEntry
	if !s.cache.get(ctx, domain.SearchBatchCacheKey(p), &e) || e.BatchArtifactID == "" {
		ids := s.runs.succeededArtifacts(ctx, domain.ScopeSearch, key)
		if len(ids) == 0 {
			return batchEntry{}, false
		}
		e = batchEntry{ArtifactIDs: ids, BatchArtifactID: ids[len(ids)-1]}
	}
	art, err := s.deps.Artifacts.Get(ctx, e.BatchArtifactID)
	if err != nil {
		s.deps.Log.WarnContext(ctx, "search_reuse_failed", "artifact_id", e.BatchArtifactID, "error", err.Error())
		return batchEntry{}, false
	}
	if art.Type != domain.ArtifactSearchBatchResults || !s.fresh(art.CreatedAt) {
		return batchEntry{}, false
	}
	return e, true
}

// batchRun is the run of a batch: scope "search", key "batch:<hash>", the artifact ids in
// result order, and the metrics "query_count", "failed_count" and "cached".
func batchRun(key, taskID string, e batchEntry, queries int, cached bool, began, ended time.Time) domain.Run {
	r := domain.Run{
		Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, key), TaskID: taskID,
		Status: domain.RunSucceeded, ArtifactIDs: e.ArtifactIDs, StartedAt: began, FinishedAt: ended,
		Metrics: []domain.Metric{
			{Name: "query_count", Value: float64(queries)},
			{Name: "failed_count", Value: float64(e.FailedCount)},
			{Name: "cached", Value: boolMetric(cached)},
		},
	}
	if e.FailedCount == queries {
		r.Status = domain.RunFailed
	}
	return r
}
