package domain

import "time"

// SearchQuery is what one provider is asked.
type SearchQuery struct {
	Query       string
	RecencyDays int // <= 0: no recency filter
	MaxResults  int // >= 1; providers cap it at their own maximum
}

// SearchResult is one hit. From a provider, Source is that provider and Sources is empty;
// after merging, Sources lists every provider that returned the canonical URL.
type SearchResult struct {
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Snippet     string     `json:"snippet"`
	PublishedAt *time.Time `json:"published_at"`
	Source      string     `json:"source"`
	Sources     []string   `json:"sources,omitempty"`
	Score       float64    `json:"score,omitempty"`
}
