package demosite_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/demo"
	"taskrunner/adapters/demosite"
	"taskrunner/adapters/web"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// Everything that is not the demo host goes to the real fetcher, so the wrapped fetcher
// keeps the whole PageFetcher contract.
func TestPageFetcherContract(t *testing.T) {
	t.Parallel()
	contract.PageFetcher(t, func(t *testing.T, allowPrivate bool) ports.PageFetcher {
		f := web.New(web.Config{AllowedPorts: []string{"*"}, AllowPrivateNetworks: allowPrivate})
		t.Cleanup(f.Close)
		return demosite.New(f)
	})
}

// countingFetcher records that the demo site passed a URL on.
type countingFetcher struct{ calls atomic.Int32 }

func (c *countingFetcher) Fetch(context.Context, domain.FetchRequest) (domain.Page, error) {
	c.calls.Add(1)
	return domain.Page{}, errors.New("not the demo host")
}

// Every URL the demo search provider returns is served as an article, without the
// wrapped fetcher, the same each time.
func TestServesDemoProviderURLs(t *testing.T) {
	t.Parallel()
	next := &countingFetcher{}
	site := demosite.New(next)
	results, err := demo.New(demo.Config{}).Search(t.Context(), domain.SearchQuery{Query: "Go task queues", MaxResults: 5})
	require.NoError(t, err)
	require.Len(t, results, 5)
	for _, r := range results {
		page, err := site.Fetch(t.Context(), domain.FetchRequest{URL: r.URL, MaxBytes: 1 << 20})
		require.NoError(t, err, r.URL)
		require.Equal(t, 200, page.StatusCode)
		require.Equal(t, "text/html", page.ContentType)
		require.Contains(t, page.Text, "<article>")
		require.Contains(t, page.Text, "go task queues")
		require.NotContains(t, page.Text, "%!") // no formatting slip
		again, err := site.Fetch(t.Context(), domain.FetchRequest{URL: r.URL, MaxBytes: 1 << 20})
		require.NoError(t, err)
		require.Equal(t, page.Text, again.Text)
	}
	require.Zero(t, next.calls.Load())
}

func TestOtherPathsAndHosts(t *testing.T) {
	t.Parallel()
	next := &countingFetcher{}
	site := demosite.New(next)
	_, err := site.Fetch(t.Context(), domain.FetchRequest{URL: "https://" + demo.Host + "/nothing/here", MaxBytes: 1 << 20})
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, domain.CodeFetchFailed, de.Code)
	require.False(t, de.Retryable)

	robots, err := site.Fetch(t.Context(), domain.FetchRequest{URL: "https://" + demo.Host + "/robots.txt", MaxBytes: 1 << 20})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(robots.Text, "User-agent: *"))

	_, err = site.Fetch(t.Context(), domain.FetchRequest{URL: "https://example.com/", MaxBytes: 1 << 20})
	require.Error(t, err)
	require.EqualValues(t, 1, next.calls.Load())
}
