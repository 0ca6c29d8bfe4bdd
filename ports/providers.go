package ports

import (
	"context"

	"taskrunner/domain"
)

// SearchProvider is one web search backend (brave, exa, demo).
type SearchProvider interface {
	// Name is the source name used in requests and allowlists.
	Name() string
	// Search returns up to q.MaxResults results in the provider's rank order. Failures are
	// *domain.Error with CodeProviderError (Retryable for 429/5xx/network) or
	// CodeProviderNotConfigured.
	Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchResult, error)
}

// PageFetcher downloads one web page safely (scheme, allowlist, SSRF guard, size cap).
type PageFetcher interface {
	// Fetch returns the page or a *domain.Error with CodeFetchBlocked, CodeFetchFailed,
	// CodeFetchUnsupported or CodeArtifactSizeExceeded.
	Fetch(ctx context.Context, r domain.FetchRequest) (domain.Page, error)
}

// Extractor turns HTML into readable text.
type Extractor interface {
	// Extract returns the article (in.ReaderMode) or the whole page's visible text; when
	// reader mode finds no article it falls back to the visible text. It never fails on
	// malformed HTML. It bounds its own work (a page larger than it reads is cut, and
	// Truncated set) and returns ctx's error once ctx ends, leaving no work running after
	// it returns, so that counting calls in flight bounds the extraction work.
	Extract(ctx context.Context, in domain.ExtractInput) (domain.Extracted, error)
}
