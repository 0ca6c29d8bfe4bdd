package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/demo"
	"taskrunner/adapters/demosite"
	"taskrunner/adapters/web"
	"taskrunner/domain"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The demo site passes every other host to the web fetcher, so the pair memory mode
// wires keeps the whole PageFetcher contract.
func TestDemoSitePageFetcherContract(t *testing.T) {
	t.Parallel()
	contract.PageFetcher(t, func(t *testing.T, allowPrivate bool) ports.PageFetcher {
		f := web.New(web.Config{AllowedPorts: []string{"*"}, AllowPrivateNetworks: allowPrivate})
		t.Cleanup(f.Close)
		return demosite.New(f)
	})
}

// Every URL the demo search source returns is a page of the demo site.
func TestDemoSiteServesDemoSearchResults(t *testing.T) {
	t.Parallel()
	require.Equal(t, demo.Host, demosite.Host)
	results, err := demo.New(demo.Config{}).Search(t.Context(), domain.SearchQuery{Query: "Go task queues", MaxResults: 20})
	require.NoError(t, err)
	require.Len(t, results, 20)
	site := demosite.New(nil) // demo URLs never reach the wrapped fetcher
	for _, r := range results {
		page, err := site.Fetch(t.Context(), domain.FetchRequest{URL: r.URL, MaxBytes: 1 << 20})
		require.NoError(t, err, r.URL)
		require.Contains(t, page.Text, "go task queues")
	}
}
