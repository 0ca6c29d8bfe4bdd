package application

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestResearchMarkdownDigest(t *testing.T) {
	t.Parallel()
	id, words, date := "0193", 42, "2024-05-06"
	failed := domain.CodeFetchFailed
	doc := reportDoc{Query: "go *queues* [fast]", Queries: []string{"go *queues* [fast]"}, Fetched: 1, Failed: 1, Results: []reportResult{
		{URL: "https://a.example/x_(y)", Title: "A", Fetch: &reportFetch{TaskID: &id, Status: "succeeded", Title: "Page # one",
			Byline: "Ann", PublishedAt: &date, WordCount: &words, Excerpt: "line one\nline two"}},
		{URL: "https://b.example/", Title: "B", Fetch: &reportFetch{TaskID: &id, Status: "failed", ErrorCode: &failed, ErrorMessage: "the server answered 404"}},
		{URL: "https://c.example/", Title: "C"},
	}}
	md := renderResearchMarkdown(doc)
	require.True(t, strings.HasPrefix(md, `# Research: go \*queues\* \[fast\]`+"\n"), md)
	require.Contains(t, md, "## 1. [Page \\# one](<https://a.example/x_(y)>)\n")
	require.Contains(t, md, "*Ann · 2024-05-06 · 42 words*")
	require.Contains(t, md, "> line one line two\n", "an excerpt stays one quoted line")
	require.Contains(t, md, "## Failures\n\n- [B](<https://b.example/>): `fetch_failed` the server answered 404\n")
	require.Contains(t, md, "## Also found\n\n- [C](<https://c.example/>)\n")
}

func TestMostCommonCode(t *testing.T) {
	t.Parallel()
	require.Equal(t, domain.CodeFetchFailed, mostCommon(nil))
	require.Equal(t, domain.CodeFetchBlocked, mostCommon([]domain.Code{domain.CodeFetchBlocked, domain.CodeFetchFailed}), "a tie: the earliest")
	require.Equal(t, domain.CodeFetchFailed, mostCommon([]domain.Code{domain.CodeFetchBlocked, domain.CodeFetchFailed, domain.CodeFetchFailed}))
}
