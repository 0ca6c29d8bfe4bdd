package domain_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"taskrunner/domain"
)

func res(url, title string) domain.SearchResult {
	return domain.SearchResult{URL: url, Title: title, Snippet: "about " + title}
}

// The overlap of the provider fixtures (providers/fixtures/README.md): three pairs differ only
// by utm parameters or a trailing slash and must fold into one result each.
func TestMergeResultsFoldsCanonicalDuplicates(t *testing.T) {
	t.Parallel()
	brave := domain.SourceResults{Source: "brave", Results: []domain.SearchResult{
		res("https://example.com/blog/vector-database-benchmarks/?utm_source=newsletter&utm_medium=email", "B1"),
		res("https://docs.example.net/guides/hnsw-index-tuning", "B2"),
		res("https://example.org/research/ann-recall-latency", "B3"),
		res("https://www.example.org/glossary/vector-search", "B4"),
	}}
	exa := domain.SourceResults{Source: "exa", Results: []domain.SearchResult{
		res("https://example.com/blog/vector-database-benchmarks", "E1"),
		res("https://docs.example.net/guides/hnsw-index-tuning", "E2"),
		res("https://example.org/research/ann-recall-latency/", "E3"),
		res("https://blog.example.com/post", "E4"),
	}}
	got := domain.MergeResults([]domain.SourceResults{brave, exa}, 0)
	require.Len(t, got, 5)
	require.Equal(t, "https://example.com/blog/vector-database-benchmarks", got[0].URL)
	require.Equal(t, []string{"brave", "exa"}, got[0].Sources)
	require.Equal(t, "B1", got[0].Title, "ties at the same rank take the first source by name")
	require.InDelta(t, 2.0/61, got[0].Score, 1e-12)
	for i, m := range got {
		require.Equal(t, i+1, m.Rank)
	}
	require.Equal(t, []string{"brave", "exa"}, got[2].Sources)
	// B4 and E4 tie on score and rank: URL order decides.
	require.Equal(t, "https://blog.example.com/post", got[3].URL)
	require.Equal(t, []string{"exa"}, got[3].Sources)
	require.Equal(t, []string{"brave"}, got[4].Sources)

	cut := domain.MergeResults([]domain.SourceResults{brave, exa}, 2)
	require.Equal(t, got[:2], cut)
}

func TestMergeResultsFillsEmptyFieldsAndDropsBadURLs(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)
	a := domain.SourceResults{Source: "brave", Results: []domain.SearchResult{
		{URL: "not a url"},
		{URL: "/relative"},
		{URL: "https://example.com/x", Title: "", Snippet: ""},
	}}
	b := domain.SourceResults{Source: "exa", Results: []domain.SearchResult{
		{URL: "https://example.com/x/", Title: "From exa", Snippet: "exa snippet", PublishedAt: &when},
		{URL: "https://nohost.example/y"},
	}}
	got := domain.MergeResults([]domain.SourceResults{a, b}, 10)
	require.Len(t, got, 2)
	require.Equal(t, "From exa", got[0].Title)
	require.Equal(t, "exa snippet", got[0].Snippet)
	require.Equal(t, when, *got[0].PublishedAt)
	require.Equal(t, "nohost.example", got[1].Title, "an untitled result is named after its host")
}

func TestMergeResultsEmpty(t *testing.T) {
	t.Parallel()
	require.Empty(t, domain.MergeResults(nil, 10))
	require.Empty(t, domain.MergeResults([]domain.SourceResults{{Source: "brave"}}, 10))
}

// genLists draws up to three sources' answers over a small pool of URLs (so duplicates
// across and within sources are common), with case, slash and tracking-parameter variants.
func genLists(t *rapid.T) []domain.SourceResults {
	sources := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"brave", "exa", "demo"}), 0, 3, rapid.ID[string]).Draw(t, "sources")
	lists := make([]domain.SourceResults, len(sources))
	for i, s := range sources {
		n := rapid.IntRange(0, 8).Draw(t, "n")
		rs := make([]domain.SearchResult, n)
		for j := range rs {
			page := rapid.IntRange(0, 9).Draw(t, "page")
			variant := rapid.SampledFrom([]string{"", "/", "?utm_source=x", "#frag"}).Draw(t, "variant")
			host := rapid.SampledFrom([]string{"example.com", "EXAMPLE.com", "example.org"}).Draw(t, "host")
			rs[j] = domain.SearchResult{URL: fmt.Sprintf("https://%s/p%d%s", host, page, variant),
				Title: fmt.Sprintf("%s-%d", s, j), Source: s}
		}
		lists[i] = domain.SourceResults{Source: s, Results: rs}
	}
	return lists
}

func urls(ms []domain.MergedResult) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.URL
	}
	return out
}

func TestMergeResultsProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		lists := genLists(t)
		max := rapid.IntRange(0, 12).Draw(t, "max")
		got := domain.MergeResults(lists, max)

		// No duplicate canonical URLs; every URL is canonical; ranks are 1..n; scores descend.
		seen := map[string]bool{}
		for i, m := range got {
			if seen[m.URL] {
				t.Fatalf("duplicate URL %s", m.URL)
			}
			seen[m.URL] = true
			if c, err := domain.CanonicalURL(m.URL); err != nil || c != m.URL {
				t.Fatalf("URL %s is not canonical (%s, %v)", m.URL, c, err)
			}
			if m.Rank != i+1 {
				t.Fatalf("rank %d at index %d", m.Rank, i)
			}
			if i > 0 && got[i-1].Score < m.Score {
				t.Fatalf("scores not descending at %d", i)
			}
		}
		if max > 0 && len(got) > max {
			t.Fatalf("%d results, max %d", len(got), max)
		}

		// Source order changes nothing (not just the set: the whole ranking).
		perm := rapid.Permutation(lists).Draw(t, "perm")
		again := domain.MergeResults(perm, max)
		if fmt.Sprint(again) != fmt.Sprint(got) {
			t.Fatalf("order of sources changed the result:\n%v\n%v", got, again)
		}

		// Idempotent: merging the merged list (as one source) keeps its URLs and order.
		back := make([]domain.SearchResult, len(got))
		for i, m := range got {
			back[i] = domain.SearchResult{URL: m.URL, Title: m.Title, Snippet: m.Snippet, PublishedAt: m.PublishedAt}
		}
		re := domain.MergeResults([]domain.SourceResults{{Source: "merged", Results: back}}, max)
		if fmt.Sprint(urls(re)) != fmt.Sprint(urls(got)) {
			t.Fatalf("re-merge changed order:\n%v\n%v", urls(got), urls(re))
		}

		// A cut is a prefix of the uncut ranking (stable ranking).
		all := domain.MergeResults(lists, 0)
		if fmt.Sprint(urls(all[:len(got)])) != fmt.Sprint(urls(got)) {
			t.Fatalf("cut is not a prefix")
		}
	})
}

func TestMergeResultsSourceNamedTwiceCountsOnce(t *testing.T) {
	t.Parallel()
	a := domain.SourceResults{Source: "brave", Results: []domain.SearchResult{res("https://a.example/", "a"), res("https://b.example/", "b")}}
	b := domain.SourceResults{Source: "brave", Results: []domain.SearchResult{res("https://b.example/", "b")}}
	got := domain.MergeResults([]domain.SourceResults{a, b}, 0)
	require.Len(t, got, 2)
	require.Equal(t, []string{"brave"}, got[0].Sources)
	require.InDelta(t, 1.0/61, got[0].Score, 1e-12)
	require.InDelta(t, 1.0/61, got[1].Score, 1e-12)
	require.Equal(t, "https://a.example/", got[0].URL, "equal score and rank fall back to URL order")
}
