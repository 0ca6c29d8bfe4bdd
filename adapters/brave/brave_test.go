package brave_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/brave"
	"taskrunner/domain"
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

var freshnessRe = regexp.MustCompile(`^(pd|pw|pm|py|\d{4}-\d{2}-\d{2}to\d{4}-\d{2}-\d{2})$`)

// reply is one canned answer of the fake server.
type reply struct {
	status  int
	fixture string // file under testdata, or ""
	body    string // used when fixture is ""
	headers map[string]string
}

// fakeBrave answers like Brave: it checks the request as fixtures/README.md says (a
// missing or wrong key gets Brave's 422 bodies) and then serves replies in turn (the last
// one repeats). It counts requests.
type fakeBrave struct {
	t       *testing.T
	replies []reply
	hits    atomic.Int32
	lastURL atomic.Pointer[string]
	srv     *httptest.Server
}

func newFake(t *testing.T, replies ...reply) *fakeBrave {
	t.Helper()
	f := &fakeBrave{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBrave) serve(w http.ResponseWriter, r *http.Request) {
	n := int(f.hits.Add(1))
	u := r.URL.String()
	f.lastURL.Store(&u)
	if r.Method != http.MethodGet || r.URL.Path != "/res/v1/web/search" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	switch key := r.Header.Get("X-Subscription-Token"); {
	case key == "":
		write(f.t, w, reply{status: 422, fixture: "brave_422_validation.json"})
		return
	case key != testKey:
		write(f.t, w, reply{status: 422, fixture: "brave_401.json"})
		return
	}
	q := r.URL.Query()
	count, err := strconv.Atoi(q.Get("count"))
	fresh := q.Get("freshness")
	if q.Get("q") == "" || len([]rune(q.Get("q"))) > 400 || err != nil || count < 1 || count > 20 ||
		(fresh != "" && !freshnessRe.MatchString(fresh)) || r.Header.Get("Accept") != "application/json" {
		write(f.t, w, reply{status: 422, body: `{"type":"ErrorResponse","error":{"code":"VALIDATION","detail":"bad params","status":422}}`})
		return
	}
	rep := f.replies[min(n, len(f.replies))-1]
	if rep.status == -1 { // slow: answer only after the client has gone
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	write(f.t, w, rep)
}

func write(t *testing.T, w http.ResponseWriter, rep reply) {
	body := []byte(rep.body)
	if rep.fixture != "" {
		var err error
		body, err = os.ReadFile(filepath.Join("testdata", rep.fixture))
		if err != nil {
			t.Errorf("fixture: %v", err)
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	for k, v := range rep.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

func (f *fakeBrave) client(t *testing.T, key string) *brave.Client {
	t.Helper()
	c, err := brave.New(brave.Config{APIKey: key, URL: f.srv.URL + "/res/v1/web/search", Timeout: 2 * time.Second, Clock: fixedClock{testNow}})
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
	f := newFake(t, reply{status: 200, fixture: "brave_web_ok.json", headers: okHeaders})
	got, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 10)

	sent, err := http.NewRequest(http.MethodGet, *f.lastURL.Load(), nil)
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
	f := newFake(t, reply{status: 200, fixture: "brave_web_ok.json"})
	c := f.client(t, testKey)

	got, err := c.Search(context.Background(), query(3, 0))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Contains(t, *f.lastURL.Load(), "count=3")
	require.NotContains(t, *f.lastURL.Load(), "freshness", "recency 0 sends no filter")

	_, err = c.Search(context.Background(), query(50, 30))
	require.NoError(t, err)
	require.Contains(t, *f.lastURL.Load(), "count=20")
	require.Contains(t, *f.lastURL.Load(), "freshness=2026-10-29to2026-11-28")
}

func TestSearchEmpty(t *testing.T) {
	t.Parallel()
	for _, fx := range []string{"brave_empty.json", "brave_web_null.json", "brave_web_results_empty.json"} {
		t.Run(fx, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply{status: 200, fixture: fx, headers: okHeaders})
			got, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
			require.NoError(t, err)
			require.NotNil(t, got)
			require.Empty(t, got)
		})
	}
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "brave_no_url.json"})
	got, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "https://example.com/kept", got[0].URL)
	require.Equal(t, "Kept & decoded", got[0].Title)
	require.Equal(t, "First extra snippet", got[0].Snippet, "an empty description falls back to extra_snippets")
	require.Equal(t, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), *got[0].PublishedAt)
}

func TestSearchWrongKey(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "brave_web_ok.json"})
	_, err := f.client(t, "wrong-key").Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
	require.Equal(t, 422, de.Details["http_status"])
	require.Equal(t, "SUBSCRIPTION_TOKEN_INVALID", de.Details["provider_code"])
}

func TestSearchBare401And403AreAuthFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, reply{status: status, body: "<html>denied</html>"})
			_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
		})
	}
	f := newFake(t, reply{status: 401, fixture: "brave_401.json"})
	_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "BRAVE_API_KEY is wrong")
}

func TestSearchMissingKeyHeaderAndValidation(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 422, fixture: "brave_422_validation.json"})
	_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "API key is missing")

	g := newFake(t, reply{status: 422, body: `{"type":"ErrorResponse","errors":[{"code":"VALIDATION","detail":"Unable to validate","meta":{"errors":[{"loc":["query","count"],"msg":"Input should be less than or equal to 20"}]}}]}`})
	_, err = g.client(t, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, false, "query.count: Input should be less than or equal to 20")
	require.Equal(t, "VALIDATION", de.Details["provider_code"])
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	h := map[string]string{
		"X-RateLimit-Limit": "1, 2000", "X-RateLimit-Policy": "1;w=1, 2000;w=2592000",
		"X-RateLimit-Remaining": "0, 1943", "X-RateLimit-Reset": "1, 1419704",
	}
	f := newFake(t, reply{status: 429, fixture: "brave_429.json", headers: h})
	_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, true, "rate limit")
	require.Equal(t, time.Second, de.RetryAfter, "the reset of the exhausted per-second window")

	h2 := map[string]string{"Retry-After": "2"}
	for k, v := range h {
		h2[k] = v
	}
	g := newFake(t, reply{status: 429, fixture: "brave_429.json", headers: h2})
	_, err = g.client(t, testKey).Search(context.Background(), query(10, 7))
	de = requireProviderError(t, err, true, "rate limit")
	require.Equal(t, 2*time.Second, de.RetryAfter, "Retry-After wins")
}

func TestSearchQuotaUsedUpIsPermanent(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 429, fixture: "brave_429_quota.json", headers: map[string]string{
		"X-RateLimit-Policy": "1;w=1, 2000;w=2592000", "X-RateLimit-Remaining": "1, 0", "X-RateLimit-Reset": "1, 1419704",
	}})
	_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	requireProviderError(t, err, false, "quota")
}

func TestSearchServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t,
		reply{status: 502, body: "<html><body>Bad gateway</body></html>"},
		reply{status: 200, fixture: "brave_web_ok.json", headers: okHeaders})
	c := f.client(t, testKey)
	_, err := c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "HTTP 502")
	got, err := c.Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 10)
	require.EqualValues(t, 2, f.hits.Load())
}

func TestSearchSlowAnswerTimesOut(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: -1})
	c, err := brave.New(brave.Config{APIKey: testKey, URL: f.srv.URL, Timeout: 50 * time.Millisecond})
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
			f := newFake(t, reply{status: 200, body: body})
			_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
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
	f := newFake(t, reply{status: 200, fixture: "brave_web_ok.json"})
	c := f.client(t, "")
	_, err := c.Search(context.Background(), query(10, 7))
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.Contains(t, de.Message, "BRAVE_API_KEY")
	require.Zero(t, f.hits.Load(), "no request without a key")
}

func TestNewEndpointURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "brave_empty.json"})
	c, err := brave.New(brave.Config{APIKey: testKey, URL: f.srv.URL + "/"}) // an origin gets the default path
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(1, 0))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(*f.lastURL.Load(), "/res/v1/web/search?"))

	for _, bad := range []string{"ftp://x/y", "not a url", "/relative/only"} {
		_, err := brave.New(brave.Config{URL: bad})
		require.Error(t, err, bad)
	}
	c, err = brave.New(brave.Config{})
	require.NoError(t, err)
	require.Equal(t, "brave", c.Name())
}
