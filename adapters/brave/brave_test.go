package brave_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/brave"
	"taskrunner/domain"
	"taskrunner/test/providertest"
)

const testKey = "test-brave-key-0123456789"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testNow = time.Date(2026, 11, 28, 14, 3, 7, 0, time.UTC)

var okHeaders = map[string]string{
	"X-RateLimit-Limit":     "20, 20000",
	"X-RateLimit-Policy":    "20;w=1, 20000;w=2592000",
	"X-RateLimit-Remaining": "19, 18734",
	"X-RateLimit-Reset":     "1, 1419704",
}

// reply is one canned answer of the fake Brave.
type reply = providertest.Reply

// newFake starts a fake Brave (it checks requests as testdata/README.md says) serving
// replies in turn.
func newFake(t *testing.T, replies ...reply) *providertest.Server {
	t.Helper()
	return providertest.New(t, providertest.Brave(testKey), replies...)
}

// client is a Brave client of f with key, on the fixed clock.
func client(t *testing.T, f *providertest.Server, key string) *brave.Client {
	t.Helper()
	c, err := brave.New(brave.Config{APIKey: key, URL: f.Endpoint(), Timeout: 2 * time.Second, Clock: fixedClock{testNow}})
	require.NoError(t, err)
	return c
}

func query(max, recency int) domain.SearchQuery {
	return domain.SearchQuery{Query: "vector database benchmarks 2026", RecencyDays: recency, MaxResults: max}
}

// requireProviderError checks the code, retryability and that the key leaks nowhere.
func requireProviderError(t *testing.T, err error, retryable bool, msgPart string) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
	require.Equal(t, domain.CodeProviderError, de.Code)
	require.Equal(t, retryable, de.Retryable, de.Message)
	require.Contains(t, de.Message, msgPart)
	require.Contains(t, de.Message, "brave")
	require.NotContains(t, err.Error(), testKey)
	require.NotContains(t, err.Error(), "wrong-key")
	return de
}

func TestSearchSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "brave_web_ok.json", Headers: okHeaders})
	got, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
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
	f := newFake(t, reply{Status: 200, Fixture: "brave_web_ok.json"})
	c := client(t, f, testKey)

	got, err := c.Search(context.Background(), query(3, 0))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Contains(t, f.Last().URI, "count=3")
	require.NotContains(t, f.Last().URI, "freshness", "recency 0 sends no filter")

	_, err = c.Search(context.Background(), query(50, 30))
	require.NoError(t, err)
	require.Contains(t, f.Last().URI, "count=20")
	require.Contains(t, f.Last().URI, "freshness=2026-10-29to2026-11-28")
}

func TestSearchEmpty(t *testing.T) {
	t.Parallel()
	for _, fx := range []string{"brave_empty.json", "brave_web_null.json", "brave_web_results_empty.json"} {
		t.Run(fx, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply{Status: 200, Fixture: fx, Headers: okHeaders})
			got, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
			require.NoError(t, err)
			require.NotNil(t, got)
			require.Empty(t, got)
		})
	}
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "brave_no_url.json"})
	got, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "https://example.com/kept", got[0].URL)
	require.Equal(t, "Kept & decoded", got[0].Title)
	require.Equal(t, "First extra snippet", got[0].Snippet, "an empty description falls back to extra_snippets")
	require.Equal(t, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), *got[0].PublishedAt)
}

func TestSearchWrongKey(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "brave_web_ok.json"})
	_, err := client(t, f, "wrong-key").Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
	require.Equal(t, 422, de.Details["http_status"])
	require.Equal(t, "SUBSCRIPTION_TOKEN_INVALID", de.Details["provider_code"])
}

func TestSearchBare401And403AreAuthFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply{Status: status, Body: "<html>denied</html>"})
			_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
		})
	}
	f := newFake(t, reply{Status: 401, Fixture: "brave_401.json"})
	_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
}

func TestSearchMissingKeyHeaderAndValidation(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 422, Fixture: "brave_422_validation.json"})
	_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "API key is missing")

	g := newFake(t, reply{Status: 422, Body: `{"type":"ErrorResponse","errors":[{"code":"VALIDATION","detail":"Unable to validate","meta":{"errors":[{"loc":["query","count"],"msg":"Input should be less than or equal to 20"}]}}]}`})
	_, err = client(t, g, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, false, "query.count: Input should be less than or equal to 20")
	require.Equal(t, "VALIDATION", de.Details["provider_code"])
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	h := map[string]string{
		"X-RateLimit-Limit": "1, 2000", "X-RateLimit-Policy": "1;w=1, 2000;w=2592000",
		"X-RateLimit-Remaining": "0, 1943", "X-RateLimit-Reset": "1, 1419704",
	}
	f := newFake(t, reply{Status: 429, Fixture: "brave_429.json", Headers: h})
	_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, true, "rate limit")
	require.Equal(t, 1, de.RetryAfter, "the reset of the exhausted per-second window")

	h2 := map[string]string{"Retry-After": "2"}
	for k, v := range h {
		h2[k] = v
	}
	g := newFake(t, reply{Status: 429, Fixture: "brave_429.json", Headers: h2})
	_, err = client(t, g, testKey).Search(context.Background(), query(10, 7))
	de = requireProviderError(t, err, true, "rate limit")
	require.Equal(t, 2, de.RetryAfter, "Retry-After wins")
}

func TestSearchQuotaUsedUpIsPermanent(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 429, Fixture: "brave_429_quota.json", Headers: map[string]string{
		"X-RateLimit-Policy": "1;w=1, 2000;w=2592000", "X-RateLimit-Remaining": "1, 0", "X-RateLimit-Reset": "1, 1419704",
	}})
	_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "quota")
}

func TestSearchServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t,
		reply{Status: 502, Body: "<html><body>Bad gateway</body></html>"},
		reply{Status: 200, Fixture: "brave_web_ok.json", Headers: okHeaders})
	c := client(t, f, testKey)
	_, err := c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "HTTP 502")
	got, err := c.Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 10)
	require.EqualValues(t, 2, f.Hits())
}

func TestSearchSlowAnswerTimesOut(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: providertest.Slow})
	c, err := brave.New(brave.Config{APIKey: testKey, URL: f.URL, Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "did not answer within 50ms")
}

func TestSearchMalformedAnswer(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"truncated": `{"type":"search","web":{"results":[{"title":"x",`,
		"html":      `<html><body>Service temporarily blocked</body></html>`,
		"array":     `[]`,
		"empty":     ``,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply{Status: 200, Body: body})
			_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, "malformed")
		})
	}
}

func TestSearchNetworkErrorIsTransient(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := brave.New(brave.Config{APIKey: testKey, URL: url})
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "could not be reached")
}

func TestSearchWithoutKeyIsNotConfigured(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "brave_web_ok.json"})
	c := client(t, f, "")
	require.False(t, c.Configured())
	_, err := c.Search(context.Background(), query(10, 7))
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.Contains(t, de.Message, "BRAVE_API_KEY")
	require.Zero(t, f.Hits(), "no request without a key")
}

func TestNewEndpointURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "brave_empty.json"})
	c, err := brave.New(brave.Config{APIKey: testKey, URL: f.URL + "/"}) // an origin gets the default path
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(1, 0))
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
