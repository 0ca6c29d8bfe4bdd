package application

import (
	"time"

	"taskrunner/domain"
)

// Provider statuses in a search's providers section.
const (
	ProviderOK     = "ok"     // the provider answered in this search
	ProviderCached = "cached" // its answer came from the cache; no call was made
	ProviderError  = "error"  // it failed; the search went on with the other sources
)

// ProviderReport is one source's line in the providers section of a search result and of
// its search_results artifact.
type ProviderReport struct {
	Status      string           `json:"status"`
	ResultCount int              `json:"result_count"`
	LatencyMS   int64            `json:"latency_ms"`
	Attempts    int              `json:"attempts"`
	Error       *ProviderFailure `json:"error,omitempty"`
}

// ProviderFailure says why a source failed.
type ProviderFailure struct {
	Code      domain.Code `json:"code"`
	Message   string      `json:"message"`
	Retryable bool        `json:"retryable"`
}

// Artifact schema names, written into each document so readers can tell versions apart.
const (
	searchResultsSchema      = "search_results/v1"
	searchBatchResultsSchema = "search_batch_results/v1"
)

// searchDoc is the content of a search_results artifact (docs/artifacts-search.md).
type searchDoc struct {
	Schema      string                    `json:"schema"`
	Query       string                    `json:"query"`
	Sources     []string                  `json:"sources"`
	RecencyDays int                       `json:"recency_days"`
	MaxResults  int                       `json:"max_results"`
	ResultCount int                       `json:"result_count"`
	Results     []domain.MergedResult     `json:"results"`
	Providers   map[string]ProviderReport `json:"providers"`
	CreatedAt   time.Time                 `json:"created_at"`
}

// batchDoc is the content of a search_batch_results artifact (docs/artifacts-search.md).
type batchDoc struct {
	Schema      string      `json:"schema"`
	Queries     []string    `json:"queries"`
	Sources     []string    `json:"sources"`
	RecencyDays int         `json:"recency_days"`
	MaxResults  int         `json:"max_results"`
	QueryCount  int         `json:"query_count"`
	FailedCount int         `json:"failed_count"`
	Items       []batchItem `json:"items"`
	CreatedAt   time.Time   `json:"created_at"`
}

// batchItem is one query of a batch: its search_results artifact and results, or why it
// failed.
type batchItem struct {
	Index       int                       `json:"index"`
	Query       string                    `json:"query"`
	ArtifactID  string                    `json:"artifact_id,omitempty"`
	Cached      bool                      `json:"cached"`
	ResultCount int                       `json:"result_count"`
	Results     []domain.MergedResult     `json:"results"`
	Providers   map[string]ProviderReport `json:"providers"`
	Error       *domain.TaskError         `json:"error,omitempty"`
}

// searchResultJSON is the result object of a search task.
type searchResultJSON struct {
	ArtifactIDs []string                  `json:"artifact_ids"`
	ResultCount int                       `json:"result_count"`
	Cached      bool                      `json:"cached"`
	Providers   map[string]ProviderReport `json:"providers"`
}

// batchResultJSON is the result object of a search_batch task.
type batchResultJSON struct {
	ArtifactIDs     []string `json:"artifact_ids"`
	BatchArtifactID string   `json:"batch_artifact_id"`
	QueryCount      int      `json:"query_count"`
	FailedCount     int      `json:"failed_count"`
	Cached          bool     `json:"cached"`
}
