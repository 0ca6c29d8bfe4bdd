package brave_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/brave"
	"taskrunner/test/providertest"
)

// reply is one canned answer of the fake.
type reply = providertest.Reply

var okHeaders = map[string]string{
	"X-RateLimit-Limit":     "20, 20000",
	"X-RateLimit-Policy":    "20;w=1, 20000;w=2592000",
	"X-RateLimit-Remaining": "19, 18734",
	"X-RateLimit-Reset":     "1, 1419704",
}

func TestSearchSuccess(t *testing.T) {
	t.Parallel()
	f := adapter.Fake(t, reply{Status: 200, Fixture: "brave_web_ok.json", Headers: okHeaders})
	got, err := adapter.Client(t, f, adapter.Key).Search(context.Background(), providertest.Query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 10)

	sent, err := http.NewRequest(http.MethodGet, f.Last().URI, nil)
	require.NoError(t, err)
	q := sent.URL.Query()
	require.Equal(t, "vector database benchmarks 2026", q.Get("q"))
	require.Equal(t, "10", q.Get("count"))
	require.Equal(t, "pw", q.Get("freshness"))
	require.Equal(t, "false", q.Get("text_decorations"))

	first := got[0]
	require.Equal(t, "brave", first.Source)
	require.Equal(t, "https://example.com/blog/vector-database-benchmarks/?utm_source=newsletter&utm_medium=email", first.URL)
	require.Equal(t, "Vector Database Benchmarks 2026: Recall vs. Latency at Scale", first.Title)
	require.NotContains(t, first.Snippet, "<strong>")
	require.Contains(t, first.Snippet, "six open-source vector databases")
	require.Equal(t, time.Date(2026, 10, 14, 9, 30, 0, 0, time.UTC), *first.PublishedAt)
	require.NotContains(t, got[6].Snippet, "&amp;")
	require.Contains(t, got[6].Snippet, "&")
	require.Nil(t, got[8].PublishedAt, "result 9 is undated")
	for _, r := range got {
		require.NotContains(t, r.Snippet, "<")
	}
}

func TestSearchCountIsCapped(t *testing.T) {
	t.Parallel()
	f := adapter.Fake(t, reply{Status: 200, Fixture: "brave_web_ok.json"})
	c := adapter.Client(t, f, adapter.Key)

	got, err := c.Search(context.Background(), providertest.Query(3, 0))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Contains(t, f.Last().URI, "count=3")
	require.NotContains(t, f.Last().URI, "freshness", "recency 0 sends no filter")

	_, err = c.Search(context.Background(), providertest.Query(50, 30))
	require.NoError(t, err)
	require.Contains(t, f.Last().URI, "count=20")
	require.Contains(t, f.Last().URI, "freshness=2026-10-29to2026-11-28")
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	got, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 200, Fixture: "brave_no_url.json"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "https://example.com/kept", got[0].URL)
	require.Equal(t, "Kept & decoded", got[0].Title)
	require.Equal(t, "First extra snippet", got[0].Snippet, "an empty description falls back to extra_snippets")
	require.Equal(t, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), *got[0].PublishedAt)
}

func TestSearchBare401And403AreAuthFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: status, Body: "<html>denied</html>"})
			adapter.RequireError(t, err, false, "BRAVE_API_KEY is wrong")
		})
	}
	_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 401, Fixture: "brave_401.json"})
	adapter.RequireError(t, err, false, "BRAVE_API_KEY is wrong")
}

func TestSearchMissingKeyHeaderAndValidation(t *testing.T) {
	t.Parallel()
	_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 422, Fixture: "brave_422_validation.json"})
	adapter.RequireError(t, err, false, "API key is missing")

	_, err = adapter.Search(t, providertest.Query(10, 7), reply{Status: 422, Body: `{"type":"ErrorResponse","errors":[{"code":"VALIDATION","detail":"Unable to validate","meta":{"errors":[{"loc":["query","count"],"msg":"Input should be less than or equal to 20"}]}}]}`})
	de := adapter.RequireError(t, err, false, "query.count: Input should be less than or equal to 20")
	require.Equal(t, "VALIDATION", de.Details["provider_code"])
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	h := map[string]string{
		"X-RateLimit-Limit": "1, 2000", "X-RateLimit-Policy": "1;w=1, 2000;w=2592000",
		"X-RateLimit-Remaining": "0, 1943", "X-RateLimit-Reset": "1, 1419704",
	}
	_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 429, Fixture: "brave_429.json", Headers: h})
	de := adapter.RequireError(t, err, true, "rate limit")
	require.Equal(t, time.Second, de.RetryAfter, "the reset of the exhausted per-second window")

	h2 := map[string]string{"Retry-After": "2"}
	for k, v := range h {
		h2[k] = v
	}
	_, err = adapter.Search(t, providertest.Query(10, 7), reply{Status: 429, Fixture: "brave_429.json", Headers: h2})
	de = adapter.RequireError(t, err, true, "rate limit")
	require.Equal(t, 2*time.Second, de.RetryAfter, "Retry-After wins")
}

func TestSearchQuotaUsedUpIsPermanent(t *testing.T) {
	t.Parallel()
	_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 429, Fixture: "brave_429_quota.json", Headers: map[string]string{
		"X-RateLimit-Policy": "1;w=1, 2000;w=2592000", "X-RateLimit-Remaining": "1, 0", "X-RateLimit-Reset": "1, 1419704",
	}})
	adapter.RequireError(t, err, false, "quota")
}

func TestNewEndpointURL(t *testing.T) {
	t.Parallel()
	f := adapter.Fake(t, reply{Status: 200, Fixture: "brave_empty.json"})
	c, err := brave.New(brave.Config{APIKey: adapter.Key, URL: f.URL + "/"}) // an origin gets the default path
	require.NoError(t, err)
	_, err = c.Search(context.Background(), providertest.Query(1, 0))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(f.Last().URI, "/res/v1/web/search?"))

	for _, bad := range []string{"ftp://x/y", "not a url", "/relative/only"} {
		_, err := brave.New(brave.Config{URL: bad})
		require.Error(t, err, bad)
	}
	c, err = brave.New(brave.Config{})
	require.NoError(t, err)
	require.Equal(t, "brave", c.Name())
}
