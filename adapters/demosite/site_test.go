package demosite_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/demosite"
	"taskrunner/domain"
)

// countingFetcher records that the demo site passed a URL on.
type countingFetcher struct{ calls atomic.Int32 }

func (c *countingFetcher) Fetch(context.Context, domain.FetchRequest) (domain.Page, error) {
	c.calls.Add(1)
	return domain.Page{}, errors.New("not the demo host")
}

func TestServesArticlesDeterministically(t *testing.T) {
	t.Parallel()
	next := &countingFetcher{}
	site := demosite.New(next)
	u := "https://" + demosite.Host + "/go-task-queues/3-a1b2c3"
	page, err := site.Fetch(t.Context(), domain.FetchRequest{URL: u, MaxBytes: 1 << 20})
	require.NoError(t, err)
	require.Equal(t, 200, page.StatusCode)
	require.Equal(t, "text/html", page.ContentType)
	require.Contains(t, page.Text, "<article>")
	require.Contains(t, page.Text, "go task queues")
	require.NotContains(t, page.Text, "%!") // no formatting slip
	again, err := site.Fetch(t.Context(), domain.FetchRequest{URL: u, MaxBytes: 1 << 20})
	require.NoError(t, err)
	require.Equal(t, page.Text, again.Text)
	_, err = site.Fetch(t.Context(), domain.FetchRequest{URL: u, MaxBytes: 100})
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, domain.CodeArtifactSizeExceeded, de.Code)
	require.Zero(t, next.calls.Load())
}

func TestOtherPathsAndHosts(t *testing.T) {
	t.Parallel()
	next := &countingFetcher{}
	site := demosite.New(next)
	_, err := site.Fetch(t.Context(), domain.FetchRequest{URL: "https://" + demosite.Host + "/nothing/here", MaxBytes: 1 << 20})
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	require.Equal(t, domain.CodeFetchFailed, de.Code)
	require.False(t, de.Retryable)

	robots, err := site.Fetch(t.Context(), domain.FetchRequest{URL: "https://" + demosite.Host + "/robots.txt", MaxBytes: 1 << 20})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(robots.Text, "User-agent: *"))

	_, err = site.Fetch(t.Context(), domain.FetchRequest{URL: "https://example.com/", MaxBytes: 1 << 20})
	require.Error(t, err)
	require.EqualValues(t, 1, next.calls.Load())
}
