package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
)

type searchResult struct {
	ArtifactIDs []string                  `json:"artifact_ids"`
	ResultCount int                       `json:"result_count"`
	Cached      bool                      `json:"cached"`
	Providers   map[string]map[string]any `json:"providers"`
}

func flowSearch(t *testing.T, start starter) {
	s := start(t, nil)
	body := map[string]any{"query": "open source task runner", "sources": []string{s.source}, "recency_days": 7}
	first := s.wait(t, s.submit(t, "/search", body).ID, "succeeded")
	require.Equal(t, "search", first.Type)
	r := decode[searchResult](t, first.Result)
	require.Positive(t, r.ResultCount)
	require.False(t, r.Cached)
	require.Len(t, r.ArtifactIDs, 1)
	require.Contains(t, r.Providers, s.source)

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, h.Get("Content-Type"), "application/json")
	s.OpenAPI.CheckSchema(t, "SearchResultsDocument", b) // artifacts are bytes to the API: check the JSON here
	art := decode[map[string]any](t, b)
	require.Equal(t, "open source task runner", art["query"])
	require.NotEmpty(t, art["results"])
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0]+"/meta", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "search_results", decode[map[string]any](t, b)["type"])

	// The same search inside the TTL reuses the artifacts.
	second := s.wait(t, s.submit(t, "/search", body).ID, "succeeded")
	r2 := decode[searchResult](t, second.Result)
	require.True(t, r2.Cached)
	require.Equal(t, r.ArtifactIDs, r2.ArtifactIDs)

	// A search naming no source asks the allowed sources that can answer: in memory mode
	// without keys demo, not Brave, which would fail provider_not_configured.
	unnamed := s.wait(t, s.submit(t, "/search", map[string]any{"query": "default sources"}).ID, "succeeded")
	require.Equal(t, []any{s.source}, decode[map[string]any](t, unnamed.Params)["sources"])
	require.Contains(t, decode[searchResult](t, unnamed.Result).Providers, s.source)

	// An allowed source without a key: the task fails, saying so.
	noKey := s.wait(t, s.submit(t, "/search", map[string]any{"query": "x", "sources": []string{s.noKeySource}}).ID, "failed")
	require.Equal(t, "provider_not_configured", noKey.Error.Code)

	code, b, _ = s.Call(t, http.MethodPost, "/search", map[string]any{"query": "x", "sources": []string{"altavista"}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
	code, b, _ = s.Call(t, http.MethodPost, "/search", map[string]any{"query": "   "})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
	code, b, _ = s.Call(t, http.MethodPost, "/search", map[string]any{"query": "x", "max_results": 11})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
}

func flowSearchBatch(t *testing.T, start starter) {
	s := start(t, func(c *bootstrap.Config) { c.Limits.MaxBatchSize = 3 })
	body := map[string]any{"queries": []string{"task runner open source", "queue worker redis"}, "sources": []string{s.source}, "recency_days": 7}
	first := s.wait(t, s.submit(t, "/search/batch", body).ID, "succeeded")
	require.Equal(t, "search_batch", first.Type)
	r := decode[struct {
		ArtifactIDs     []string `json:"artifact_ids"`
		BatchArtifactID string   `json:"batch_artifact_id"`
		QueryCount      int      `json:"query_count"`
	}](t, first.Result)
	require.Equal(t, 2, r.QueryCount)
	require.Contains(t, r.ArtifactIDs, r.BatchArtifactID)
	code, b, _ := s.Call(t, http.MethodGet, "/artifacts/"+r.BatchArtifactID+"/meta", nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "search_batch_results", decode[map[string]any](t, b)["type"])
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.BatchArtifactID, nil)
	require.Equal(t, http.StatusOK, code)
	s.OpenAPI.CheckSchema(t, "SearchBatchResultsDocument", b)

	again := s.wait(t, s.submit(t, "/search/batch", body).ID, "succeeded")
	r2 := decode[struct {
		ArtifactIDs     []string `json:"artifact_ids"`
		BatchArtifactID string   `json:"batch_artifact_id"`
		Cached          bool     `json:"cached"`
	}](t, again.Result)
	require.True(t, r2.Cached)
	require.Equal(t, r.ArtifactIDs, r2.ArtifactIDs)
	require.Equal(t, r.BatchArtifactID, r2.BatchArtifactID)

	code, b, _ = s.Call(t, http.MethodPost, "/search/batch", map[string]any{"queries": []string{"a", "b", "c", "d"}, "sources": []string{s.source}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
	code, b, _ = s.Call(t, http.MethodPost, "/search/batch", map[string]any{"queries": []string{}, "sources": []string{s.source}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "")
}
