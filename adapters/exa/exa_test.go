package exa_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/exa"
	"taskrunner/domain"
	"taskrunner/test/providertest"
)

const testKey = "test-exa-key-9876543210"

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

var testNow = time.Date(2026, 11, 28, 14, 3, 7, 123e6, time.UTC)

// reply is one canned answer of the fake Exa.
type reply = providertest.Reply

// newFake starts a fake Exa (it checks requests as testdata/README.md says) serving
// replies in turn.
func newFake(t *testing.T, replies ...reply) *providertest.Server {
	t.Helper()
	return providertest.New(t, providertest.Exa(testKey), replies...)
}

// client is an Exa client of f with key, on the fixed clock.
func client(t *testing.T, f *providertest.Server, key string) *exa.Client {
	t.Helper()
	c, err := exa.New(exa.Config{APIKey: key, URL: f.Endpoint(), Timeout: 2 * time.Second, Clock: fixedClock{testNow}})
	require.NoError(t, err)
	return c
}

// sent is the search request f received last.
func sent(t *testing.T, f *providertest.Server) providertest.ExaRequest {
	t.Helper()
	b, err := providertest.ExaSent(f)
	require.NoError(t, err)
	return b
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
	f := newFake(t, reply{Status: 200, Fixture: "exa_search_ok.json"})
	got, err := client(t, f, testKey).Search(context.Background(), query(8, 7))
	require.NoError(t, err)
	require.Len(t, got, 8)

	req := sent(t, f)
	require.Equal(t, "vector database benchmarks 2026", req.Query)
	require.Equal(t, "auto", req.Type)
	require.Equal(t, 8, req.NumResults)
	require.Equal(t, "2026-11-21T14:03:00.000Z", *req.StartPublishedDate, "now − 7 days, truncated to the minute")
	require.JSONEq(t, `{"highlights":{"maxCharacters":1000},"text":{"maxCharacters":1000}}`, string(req.Contents))

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
	f := newFake(t, reply{Status: 200, Fixture: "exa_empty.json"})
	c := client(t, f, testKey)
	_, err := c.Search(context.Background(), query(500, 0))
	require.NoError(t, err)
	require.Equal(t, 100, sent(t, f).NumResults, "capped at Exa's maximum")
	require.Nil(t, sent(t, f).StartPublishedDate, "recency 0 sends no date filter")

	got, err := c.Search(context.Background(), query(3, 1))
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, "2026-11-27T14:03:00.000Z", *sent(t, f).StartPublishedDate)
}

func TestSearchLimitCutsResults(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "exa_search_ok.json"})
	got, err := client(t, f, testKey).Search(context.Background(), query(3, 0))
	require.NoError(t, err)
	require.Len(t, got, 3)
}

func TestSearchEmpty(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "exa_empty.json"})
	got, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got)
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "exa_no_url.json"})
	got, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
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
	f := newFake(t, reply{Status: 200, Fixture: "exa_search_ok.json"})
	_, err := client(t, f, "wrong-key").Search(context.Background(), query(10, 7))
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
		{reply{Status: 400, Fixture: "exa_400.json"}, "INVALID_REQUEST_BODY"},
		{reply{Status: 402, Body: `{"requestId":"r","error":"No more credits","tag":"NO_MORE_CREDITS"}`}, "no credits"},
		{reply{Status: 403, Body: `{"requestId":"r","error":"Feature disabled","tag":"FEATURE_DISABLED"}`}, "FEATURE_DISABLED"},
		{reply{Status: 501, Body: `{"tag":"UNABLE_TO_GENERATE_RESPONSE"}`}, "HTTP 501"},
		{reply{Status: 404, Body: `<html>nope</html>`}, "HTTP 404"},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.rep.Status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, c.rep)
			_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, c.want)
		})
	}
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 429, Fixture: "exa_429.json"})
	_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
	de := requireProviderError(t, err, true, "rate limit")
	require.Zero(t, de.RetryAfter)

	g := newFake(t, reply{Status: 429, Fixture: "exa_429.json", Headers: map[string]string{"Retry-After": "1"}})
	_, err = client(t, g, testKey).Search(context.Background(), query(10, 7))
	de = requireProviderError(t, err, true, "rate limit")
	require.Equal(t, 1, de.RetryAfter)
}

func TestSearchServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFake(t,
		reply{Status: 503, Body: ""},
		reply{Status: 200, Fixture: "exa_search_ok.json"})
	c := client(t, f, testKey)
	_, err := c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "HTTP 503")
	got, err := c.Search(context.Background(), query(10, 7))
	require.NoError(t, err)
	require.Len(t, got, 8)
	require.EqualValues(t, 2, f.Hits())
}

func TestSearchSlowAnswerTimesOut(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: providertest.Slow})
	c, err := exa.New(exa.Config{APIKey: testKey, URL: f.URL, Timeout: 50 * time.Millisecond})
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(10, 7))
	requireProviderError(t, err, true, "did not answer within 50ms")
}

func TestSearchMalformedAnswer(t *testing.T) {
	t.Parallel()
	for name, rep := range map[string]reply{
		"truncated":  {Status: 200, Body: `{"requestId":"x","results":[{"url":"https://e.com"`},
		"html":       {Status: 200, Body: `<!doctype html><p>gateway</p>`},
		"no results": {Status: 200, Fixture: "exa_no_results_field.json"},
		"null":       {Status: 200, Body: `null`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, rep)
			_, err := client(t, f, testKey).Search(context.Background(), query(10, 7))
			requireProviderError(t, err, false, "malformed")
		})
	}
}

func TestSearchWithoutKeyIsNotConfigured(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "exa_search_ok.json"})
	c := client(t, f, "")
	require.False(t, c.Configured())
	_, err := c.Search(context.Background(), query(10, 7))
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
	require.Contains(t, de.Message, "EXA_API_KEY")
	require.Zero(t, f.Hits())
}

func TestNew(t *testing.T) {
	t.Parallel()
	f := newFake(t, reply{Status: 200, Fixture: "exa_empty.json"})
	c, err := exa.New(exa.Config{APIKey: testKey, URL: f.URL}) // an origin gets "/search"
	require.NoError(t, err)
	_, err = c.Search(context.Background(), query(1, 0))
	require.NoError(t, err)
	require.Equal(t, "exa", c.Name())
	for _, bad := range []string{"ftp://x/y", "::", "/search"} {
		_, err := exa.New(exa.Config{URL: bad})
		require.Error(t, err, bad)
	}
}
