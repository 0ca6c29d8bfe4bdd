package exa_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/exa"
	"taskrunner/test/providertest"
)

// reply is one canned answer of the fake.
type reply = providertest.Reply

// sent is the search request f received last.
func sent(t *testing.T, f *providertest.Server) providertest.ExaRequest {
	t.Helper()
	b, err := providertest.ExaSent(f)
	require.NoError(t, err)
	return b
}

func TestSearchSuccess(t *testing.T) {
	t.Parallel()
	f := adapter.Fake(t, reply{Status: 200, Fixture: "exa_search_ok.json"})
	got, err := adapter.Client(t, f, adapter.Key).Search(context.Background(), providertest.Query(8, 7))
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
	f := adapter.Fake(t, reply{Status: 200, Fixture: "exa_empty.json"})
	c := adapter.Client(t, f, adapter.Key)
	_, err := c.Search(context.Background(), providertest.Query(500, 0))
	require.NoError(t, err)
	require.Equal(t, 100, sent(t, f).NumResults, "capped at Exa's maximum")
	require.Nil(t, sent(t, f).StartPublishedDate, "recency 0 sends no date filter")

	got, err := c.Search(context.Background(), providertest.Query(3, 1))
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, "2026-11-27T14:03:00.000Z", *sent(t, f).StartPublishedDate)
}

func TestSearchLimitCutsResults(t *testing.T) {
	t.Parallel()
	got, err := adapter.Search(t, providertest.Query(3, 0), reply{Status: 200, Fixture: "exa_search_ok.json"})
	require.NoError(t, err)
	require.Len(t, got, 3)
}

func TestSearchSkipsResultsWithoutURL(t *testing.T) {
	t.Parallel()
	got, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 200, Fixture: "exa_no_url.json"})
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "example.com", got[0].Title, "a null title falls back to the host")
	require.Equal(t, "A summary used as the snippet.", got[0].Snippet)
	require.Equal(t, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), *got[0].PublishedAt)
	require.Equal(t, "example.net", got[1].Title)
	require.Equal(t, "Only text here, no highlights.", got[1].Snippet)
	require.Nil(t, got[1].PublishedAt)
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
			_, err := adapter.Search(t, providertest.Query(10, 7), c.rep)
			adapter.RequireError(t, err, false, c.want)
		})
	}
}

func TestSearchRateLimited(t *testing.T) {
	t.Parallel()
	_, err := adapter.Search(t, providertest.Query(10, 7), reply{Status: 429, Fixture: "exa_429.json"})
	de := adapter.RequireError(t, err, true, "rate limit")
	require.Zero(t, de.RetryAfter)

	_, err = adapter.Search(t, providertest.Query(10, 7), reply{Status: 429, Fixture: "exa_429.json", Headers: map[string]string{"Retry-After": "1"}})
	de = adapter.RequireError(t, err, true, "rate limit")
	require.Equal(t, time.Second, de.RetryAfter)
}

func TestNew(t *testing.T) {
	t.Parallel()
	f := adapter.Fake(t, reply{Status: 200, Fixture: "exa_empty.json"})
	c, err := exa.New(exa.Config{APIKey: adapter.Key, URL: f.URL}) // an origin gets "/search"
	require.NoError(t, err)
	_, err = c.Search(context.Background(), providertest.Query(1, 0))
	require.NoError(t, err)
	require.Equal(t, "exa", c.Name())
	for _, bad := range []string{"ftp://x/y", "::", "/search"} {
		_, err := exa.New(exa.Config{URL: bad})
		require.Error(t, err, bad)
	}
}
