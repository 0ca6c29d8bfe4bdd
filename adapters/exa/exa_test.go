package exa_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/exa"
	"taskrunner/domain"
)

const testKey = "test-exa-key-9876543210"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testNow = time.Date(2026, 11, 28, 14, 3, 7, 123e6, time.UTC)

type reply struct {
	status  int // -1: answer only after the client has gone
	fixture string
	body    string
	headers map[string]string
}

// sentBody is what the fake decodes from each request.
type sentBody struct {
	Query              string          `json:"query"`
	Type               string          `json:"type"`
	NumResults         int             `json:"numResults"`
	StartPublishedDate *string         `json:"startPublishedDate"`
	Contents           json.RawMessage `json:"contents"`
}

// fakeExa answers like Exa: it checks the request as fixtures/README.md says (wrong key →
// 401, empty query → 400) and then serves replies in turn (the last one repeats).
type fakeExa struct {
	t       *testing.T
	replies []reply
	hits    atomic.Int32
	last    atomic.Pointer[sentBody]
	srv     *httptest.Server
}

func newFake(t *testing.T, replies ...reply) *fakeExa {
	t.Helper()
	f := &fakeExa{t: t, replies: replies}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeExa) serve(w http.ResponseWriter, r *http.Request) {
	n := int(f.hits.Add(1))
	if r.Method != http.MethodPost || r.URL.Path != "/search" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.Header.Get("x-api-key") != testKey {
		write(f.t, w, reply{status: 401, fixture: "exa_401.json"})
		return
	}
	var b sentBody
	if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&b) != nil || b.Query == "" {
		write(f.t, w, reply{status: 400, fixture: "exa_400.json"})
		return
	}
	f.last.Store(&b)
	if b.NumResults < 1 || b.NumResults > 100 {
		write(f.t, w, reply{status: 400, body: `{"error":"bad numResults","tag":"INVALID_NUM_RESULTS"}`})
		return
	}
	if b.StartPublishedDate != nil {
		if _, err := time.Parse(time.RFC3339, *b.StartPublishedDate); err != nil {
			write(f.t, w, reply{status: 400, body: `{"error":"bad date","tag":"INVALID_REQUEST_BODY"}`})
			return
		}
	}
	rep := f.replies[min(n, len(f.replies))-1]
	if rep.status == -1 {
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
	w.Header().Set("Content-Type", "application/json")
	for k, v := range rep.headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(body)
}

func (f *fakeExa) client(t *testing.T, key string) *exa.Client {
	t.Helper()
	c, err := exa.New(exa.Config{APIKey: key, URL: f.srv.URL + "/search", Timeout: 2 * time.Second, Clock: fixedClock{testNow}})
	require.NoError(t, err)
	return c
}

func query(max, recency int) domain.SearchQuery {
	return domain.SearchQuery{Query: "vector database benchmarks 2026", RecencyDays: recency, MaxResults: max}
}

func requireProviderError(t *testing.T, err error, retryable bool, msgPart string) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
	require.Equal(t, domain.CodeProviderError, de.Code)
	require.Equal(t, retryable, de.Retryable, de.Message)
	require.Contains(t, de.Message, msgPart)
	require.Contains(t, de.Message, "exa")
	require.NotContains(t, err.Error(), testKey)
	require.NotContains(t, err.Error(), "wrong-key")
	return de
}

func TestSearchSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_search_ok.json"})
	got, err := f.client(t, testKey).Search(context.Background(), query(8, 7))
	require.NoError(t, err)
	require.Len(t, got, 8)

	sent := f.last.Load()
	require.Equal(t, "vector database benchmarks 2026", sent.Query)
	require.Equal(t, "auto", sent.Type)
	require.Equal(t, 8, sent.NumResults)
	require.Equal(t, "2026-11-21T14:03:00.000Z", *sent.StartPublishedDate, "now − 7 days, truncated to the minute")
	require.JSONEq(t, `{"highlights":{"maxCharacters":1000},"text":{"maxCharacters":1000}}`, string(sent.Contents))

	first := got[0]
	require.Equal(t, "exa", first.Source)
	require.Equal(t, "https://example.com/blog/vector-database-benchmarks", first.URL)
	require.Equal(t, "Vector Database Benchmarks 2026: Recall vs. Latency at Scale", first.Title)
	require.Equal(t, "At 100M vectors two engines could not reach 0.95 recall@10 without tripling memory, which reorders the field at the high-recall end.", first.Snippet)
	require.Equal(t, time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC), *first.PublishedAt)
	require.Nil(t, got[7].PublishedAt, "result 8 is undated")
}

func TestSearchRequestShape(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_empty.json"})
	c := f.client(t, testKey)
	_, err := c.Search(context.Background(), query(500, 0))
	require.NoError(t, err)
	require.Equal(t, 100, f.last.Load().NumResults, "capped at Exa's maximum")
	require.Nil(t, f.last.Load().StartPublishedDate, "recency 0 sends no date filter")

	got, err := c.Search(context.Background(), query(3, 1))
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, "2026-11-27T14:03:00.000Z", *f.last.Load().StartPublishedDate)
}

func TestSearchLimitCutsResults(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_search_ok.json"})
	got, err := f.client(t, testKey).Search(context.Background(), query(3, 0))
	require.NoError(t, err)
	require.Len(t, got, 3)
}

func TestSearchEmpty(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_empty.json"})
	got, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_no_url.json"})
	got, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "example.com", got[0].Title, "a null title falls back to the host")
	require.Equal(t, "A summary used as the snippet.", got[0].Snippet)
	require.Equal(t, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), *got[0].PublishedAt)
	require.Equal(t, "example.net", got[1].Title)
	require.Equal(t, "Only text here, no highlights.", got[1].Snippet)
	require.Nil(t, got[1].PublishedAt)
}

func TestSearchWrongKey(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_search_ok.json"})
	_, err := f.client(t, "wrong-key").Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, false, "EXA_API_KEY is wrong")
	require.Equal(t, 401, de.Details["http_status"])
	require.Equal(t, "INVALID_API_KEY", de.Details["provider_code"])
	require.Equal(t, "e3b1c6f08a9d24757c1f0e6a2b8d9c41", de.Details["request_id"])
}

func TestSearchPermanentStatuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rep  reply
		want string
	}{
		{reply{status: 400, fixture: "exa_400.json"}, "INVALID_REQUEST_BODY"},
		{reply{status: 402, body: `{"requestId":"r","error":"No more credits","tag":"NO_MORE_CREDITS"}`}, "no credits"},
		{reply{status: 403, body: `{"requestId":"r","error":"Feature disabled","tag":"FEATURE_DISABLED"}`}, "FEATURE_DISABLED"},
		{reply{status: 501, body: `{"tag":"UNABLE_TO_GENERATE_RESPONSE"}`}, "HTTP 501"},
		{reply{status: 404, body: `<html>nope</html>`}, "HTTP 404"},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.rep.status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, c.rep)
			_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, c.want)
		})
	}
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 429, fixture: "exa_429.json"})
	_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, true, "rate limit")
	require.Zero(t, de.RetryAfter)

	g := newFake(t, reply{status: 429, fixture: "exa_429.json", headers: map[string]string{"Retry-After": "1"}})
	_, err = g.client(t, testKey).Search(context.Background(), query(10, 7))
	de = requireProviderError(t, err, true, "rate limit")
	require.Equal(t, time.Second, de.RetryAfter)
}

func TestSearchServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t,
		reply{status: 503, body: ""},
		reply{status: 200, fixture: "exa_search_ok.json"})
	c := f.client(t, testKey)
	_, err := c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "HTTP 503")
	got, err := c.Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 8)
	require.EqualValues(t, 2, f.hits.Load())
}

func TestSearchSlowAnswerTimesOut(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: -1})
	c, err := exa.New(exa.Config{APIKey: testKey, URL: f.srv.URL, Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "did not answer within 50ms")
}

func TestSearchMalformedAnswer(t *testing.T) {
	t.Parallel()
	for name, rep := range map[string]reply{
		"truncated":  {status: 200, body: `{"requestId":"x","results":[{"url":"https://e.com"`},
		"html":       {status: 200, body: `<!doctype html><p>gateway</p>`},
		"no results": {status: 200, fixture: "exa_no_results_field.json"},
		"null":       {status: 200, body: `null`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, rep)
			_, err := f.client(t, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, "malformed")
		})
	}
}

func TestSearchWithoutKeyIsNotConfigured(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_search_ok.json"})
	c := f.client(t, "")
	_, err := c.Search(context.Background(), query(10, 7))
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.Contains(t, de.Message, "EXA_API_KEY")
	require.Zero(t, f.hits.Load())
}

func TestNew(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{status: 200, fixture: "exa_empty.json"})
	c, err := exa.New(exa.Config{APIKey: testKey, URL: f.srv.URL}) // an origin gets "/search"
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(1, 0))
	require.NoError(t, err)
	require.Equal(t, "exa", c.Name())
	for _, bad := range []string{"ftp://x/y", "::", "/search"} {
		_, err := exa.New(exa.Config{URL: bad})
		require.Error(t, err, bad)
	}
}
