package application

import (
	"context"
	"encoding/json"

	"taskrunner/domain"
)

// SearchHandler runs `search` tasks: the sources are asked concurrently (each answer
// cached), the answers merged and ranked, and a search_results artifact written. The
// result is {"artifact_ids", "result_count", "cached", "providers"}.
//
// A source that is allowed but has no API key does not fail validation (keys are
// deployment state, not request state): that source reports provider_not_configured, and
// when no source of the request answers the task fails with provider_not_configured.
type SearchHandler struct {
	service *searchService
}

var _ Handler = (*SearchHandler)(nil)

// NewSearchHandler returns the handler, or an error naming a missing dependency.
func NewSearchHandler(d SearchDeps) (*SearchHandler, error) {
	s, err := newSearchService(d)
	if err != nil {
		return nil, err
	}
	return &SearchHandler{service: s}, nil
}

// Validate checks params as domain.ParseSearchParams says and returns them normalized, with
// defaults filled in: {"query", "sources", "recency_days", "max_results"}.
func (h *SearchHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	p, err := domain.ParseSearchParams(params, limits)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// Run searches once (or reuses the artifact of an identical search inside the cache TTL,
// then cached is true and no provider is called).
func (h *SearchHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p domain.SearchParams
	if err := json.Unmarshal(t.Params, &p); err != nil || p.Query == "" || len(p.Sources) == 0 || p.MaxResults < 1 {
		return nil, domain.InvalidParams("params", "stored params of search task %s are not valid", t.ID)
	}
	out, err := h.service.search(ctx, t.ID, p)
	if err != nil {
		return nil, err
	}
	return json.Marshal(searchResultJSON{
		ArtifactIDs: []string{out.artifactID},
		ResultCount: out.doc.ResultCount,
		Cached:      out.cached,
		Providers:   out.providers,
	})
}
