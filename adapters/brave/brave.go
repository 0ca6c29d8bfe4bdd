package brave

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"taskrunner/adapters/internal/providerhttp"
	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.SearchProvider = (*Client)(nil)

// Name is the source name of this provider.
const Name = domain.SourceBrave

// DefaultURL is Brave's web search endpoint.
const DefaultURL = "https://api.search.brave.com/res/v1/web/search"

// DefaultTimeout bounds one request when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// maxCount is the most results Brave returns for one request.
const maxCount = 20

// maxBody caps how much of an answer is read; a real page of 20 results is ~100 KB.
const maxBody = 8 << 20

// Config configures the client (see providerhttp.ClientConfig): the key, the full
// endpoint URL (default DefaultURL), the per-request timeout (default DefaultTimeout), an
// HTTP client and a clock.
type Config = providerhttp.ClientConfig

// Client searches Brave. It is safe for concurrent use.
type Client struct {
	p providerhttp.Client
}

// New returns a client, or an error when the URL is not an absolute http(s) URL.
func New(cfg Config) (*Client, error) {
	p, err := providerhttp.NewClient(cfg, DefaultURL, "/res/v1/web/search", DefaultTimeout)
	if err != nil {
		return nil, fmt.Errorf("brave: BRAVE_API_URL: %w", err)
	}
	return &Client{p: p}, nil
}

// Name returns "brave".
func (c *Client) Name() string { return Name }

// Search asks Brave for up to min(q.MaxResults, 20) web results, best first.
func (c *Client) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchResult, error) {
	if c.p.Key == "" {
		return nil, domain.NewError(domain.CodeProviderNotConfigured,
			"search source brave is not configured: set BRAVE_API_KEY").WithDetail("provider", Name)
	}
	ctx, cancel := context.WithTimeout(ctx, c.p.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, q)
	if err != nil {
		return nil, providerError("could not build the request").WithCause(err)
	}
	resp, err := providerhttp.Do(ctx, c.p.HTTP, req, Name, c.p.Timeout, maxBody)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, classify(resp.Status, resp.Header, resp.Body, c.p.Now())
	}
	return parseResults(resp.Body, q.MaxResults)
}

func (c *Client) newRequest(ctx context.Context, q domain.SearchQuery) (*http.Request, error) {
	v := url.Values{}
	v.Set("q", q.Query)
	v.Set("count", fmt.Sprint(min(max(q.MaxResults, 1), maxCount)))
	v.Set("text_decorations", "false")
	v.Set("result_filter", "web")
	if f := freshness(q.RecencyDays, c.p.Now()); f != "" {
		v.Set("freshness", f)
	}
	u := c.p.URL
	if strings.Contains(u, "?") {
		u += "&" + v.Encode()
	} else {
		u += "?" + v.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Subscription-Token", c.p.Key)
	req.Header.Set("User-Agent", "taskrunner")
	// No Accept-Encoding: net/http then asks for gzip and decompresses transparently.
	return req, nil
}

// freshness maps recency_days to Brave's freshness parameter: the presets for 1, 7, 31 and
// 365 days (pm is 31 days, so 30 is a custom range), a YYYY-MM-DDtoYYYY-MM-DD range (UTC)
// otherwise, nothing for 0 or less.
func freshness(days int, now time.Time) string {
	switch {
	case days <= 0:
		return ""
	case days == 1:
		return "pd"
	case days == 7:
		return "pw"
	case days == 31:
		return "pm"
	case days == 365:
		return "py"
	}
	end := now.UTC()
	start := end.AddDate(0, 0, -days)
	return start.Format("2006-01-02") + "to" + end.Format("2006-01-02")
}
