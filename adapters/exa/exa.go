package exa

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"taskrunner/adapters/internal/providerhttp"
	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.SearchProvider = (*Client)(nil)

// Name is the source name of this provider.
const Name = domain.SourceExa

// DefaultURL is Exa's search endpoint.
const DefaultURL = "https://api.exa.ai/search"

// DefaultTimeout bounds one request when Config.Timeout is zero; "auto" search with
// contents takes about a second, live crawls longer (providers/EXA.md suggests 15–20 s).
const DefaultTimeout = 15 * time.Second

// maxNumResults is the most results Exa returns for one request.
const maxNumResults = 100

// maxBody caps how much of an answer is read (text is capped per result in the request).
const maxBody = 8 << 20

// Config configures the client (see providerhttp.ClientConfig): the key, the full
// endpoint URL (default DefaultURL), the per-request timeout (default DefaultTimeout), an
// HTTP client and a clock.
type Config = providerhttp.ClientConfig

// Client searches Exa. It is safe for concurrent use.
type Client struct {
	p providerhttp.Client
}

// New returns a client, or an error when the URL is not an absolute http(s) URL.
func New(cfg Config) (*Client, error) {
	p, err := providerhttp.NewClient(cfg, DefaultURL, "/search", DefaultTimeout)
	if err != nil {
		return nil, fmt.Errorf("exa: EXA_API_URL: %w", err)
	}
	return &Client{p: p}, nil
}

// Name returns "exa".
func (c *Client) Name() string { return Name }

// request is the body of POST /search; optional fields are omitted, never null.
type request struct {
	Query              string   `json:"query"`
	Type               string   `json:"type"`
	NumResults         int      `json:"numResults"`
	StartPublishedDate string   `json:"startPublishedDate,omitempty"`
	Contents           contents `json:"contents"`
}

type contents struct {
	Highlights maxChars `json:"highlights"`
	Text       maxChars `json:"text"`
}

type maxChars struct {
	MaxCharacters int `json:"maxCharacters"`
}

// Search asks Exa for up to min(q.MaxResults, 100) results, best first.
func (c *Client) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchResult, error) {
	if c.p.Key == "" {
		return nil, domain.NewError(domain.CodeProviderNotConfigured,
			"search source exa is not configured: set EXA_API_KEY").WithDetail("provider", Name)
	}
	ctx, cancel := context.WithTimeout(ctx, c.p.Timeout)
	defer cancel()
	body, err := json.Marshal(request{
		Query:              q.Query,
		Type:               "auto",
		NumResults:         min(max(q.MaxResults, 1), maxNumResults),
		StartPublishedDate: startPublished(q.RecencyDays, c.p.Now()),
		// Highlights are the snippet; a little text is the fallback when a page has none.
		Contents: contents{Highlights: maxChars{1000}, Text: maxChars{1000}},
	})
	if err != nil {
		return nil, providerError("could not build the request").WithCause(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.p.URL, bytes.NewReader(body))
	if err != nil {
		return nil, providerError("could not build the request").WithCause(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("x-api-key", c.p.Key)
	req.Header.Set("User-Agent", "taskrunner")

	resp, err := providerhttp.Do(ctx, c.p.HTTP, req, Name, c.p.Timeout, maxBody)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, classify(resp.Status, resp.Header, resp.Body, c.p.Now())
	}
	return parseResults(resp.Body, q.MaxResults)
}

// startPublished maps recency_days to startPublishedDate: now − N days in UTC, truncated
// to the minute so retries within a minute send the same request; "" for 0 or less.
func startPublished(days int, now time.Time) string {
	if days <= 0 {
		return ""
	}
	return now.UTC().Truncate(time.Minute).Add(-time.Duration(days) * 24 * time.Hour).
		Format("2006-01-02T15:04:05.000Z07:00")
}
