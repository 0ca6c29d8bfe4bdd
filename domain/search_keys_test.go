package domain_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"taskrunner/domain"
)

func TestSearchRequestKeyIgnoresCaseSpaceAndSourceOrder(t *testing.T) {
	t.Parallel()
	a := domain.SearchParams{Query: "Go  Generics", Sources: []string{"exa", "brave"}, RecencyDays: 7, MaxResults: 10}
	b := domain.SearchParams{Query: "go generics", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 10}
	require.Equal(t, domain.SearchRequestKey(a), domain.SearchRequestKey(b))
	require.Equal(t, domain.SearchRequestCacheKey(a), domain.SearchRequestCacheKey(b))
	require.True(t, strings.HasPrefix(domain.SearchRequestCacheKey(a), "search:request:"))
}

func TestSearchKeysSeparateEveryField(t *testing.T) {
	t.Parallel()
	base := domain.SearchParams{Query: "q", Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 10}
	variants := []domain.SearchParams{
		{Query: "q2", Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 10},
		{Query: "q", Sources: []string{"exa"}, RecencyDays: 7, MaxResults: 10},
		{Query: "q", Sources: []string{"brave", "exa"}, RecencyDays: 7, MaxResults: 10},
		{Query: "q", Sources: []string{"brave"}, RecencyDays: 1, MaxResults: 10},
		{Query: "q", Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 5},
	}
	seen := map[string]bool{domain.SearchRequestKey(base): true}
	for _, v := range variants {
		k := domain.SearchRequestKey(v)
		require.False(t, seen[k], "collision for %+v", v)
		seen[k] = true
	}
}

func TestSearchProviderCacheKey(t *testing.T) {
	t.Parallel()
	q := domain.SearchQuery{Query: "Vector  DB", RecencyDays: 7, MaxResults: 10}
	k := domain.SearchProviderCacheKey("brave", q)
	require.True(t, strings.HasPrefix(k, "search:provider:brave:"))
	require.Equal(t, k, domain.SearchProviderCacheKey("brave", domain.SearchQuery{Query: "vector db", RecencyDays: 7, MaxResults: 10}))
	require.NotEqual(t, k, domain.SearchProviderCacheKey("exa", q))
	// A negative recency means "no filter", the same as 0.
	require.Equal(t,
		domain.SearchProviderCacheKey("brave", domain.SearchQuery{Query: "x", RecencyDays: -3, MaxResults: 1}),
		domain.SearchProviderCacheKey("brave", domain.SearchQuery{Query: "x", RecencyDays: 0, MaxResults: 1}))
}

func TestSearchBatchKey(t *testing.T) {
	t.Parallel()
	p := domain.SearchBatchParams{Queries: []string{"a", "b"}, Sources: []string{"brave"}, RecencyDays: 7, MaxResults: 10}
	swapped := p
	swapped.Queries = []string{"b", "a"}
	require.True(t, strings.HasPrefix(domain.SearchBatchKey(p), "batch:"))
	require.Equal(t, "search:"+domain.SearchBatchKey(p), domain.SearchBatchCacheKey(p))
	require.NotEqual(t, domain.SearchBatchKey(p), domain.SearchBatchKey(swapped), "query order matters")
	// Sources and queries must not run into each other.
	x := domain.SearchBatchParams{Queries: []string{"exa", "q"}, Sources: []string{"brave"}, MaxResults: 1}
	y := domain.SearchBatchParams{Queries: []string{"q"}, Sources: []string{"brave", "exa"}, MaxResults: 1}
	require.NotEqual(t, domain.SearchBatchKey(x), domain.SearchBatchKey(y))
}

func TestSearchRequestKeyProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		words := rapid.SliceOfN(rapid.StringMatching(`[a-zA-Z0-9]{1,8}`), 1, 6).Draw(t, "words")
		sources := rapid.SliceOfNDistinct(rapid.SampledFrom(domain.KnownSearchSources), 1, 3, rapid.ID[string]).Draw(t, "sources")
		p := domain.SearchParams{Query: strings.Join(words, " "), Sources: sources,
			RecencyDays: rapid.IntRange(0, 3650).Draw(t, "recency"), MaxResults: rapid.IntRange(1, 20).Draw(t, "max")}
		// Extra white space, other case and another source order name the same request.
		q := p
		q.Query = "  " + strings.ToUpper(strings.Join(words, "\t ")) + " "
		q.Sources = append([]string(nil), sources...)
		for i, j := 0, len(q.Sources)-1; i < j; i, j = i+1, j-1 {
			q.Sources[i], q.Sources[j] = q.Sources[j], q.Sources[i]
		}
		if domain.SearchRequestKey(p) != domain.SearchRequestKey(q) {
			t.Fatalf("keys differ for %+v and %+v", p, q)
		}
	})
}
