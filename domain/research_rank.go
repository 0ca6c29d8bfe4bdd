package domain

import (
	"sort"
	"time"
)

// ResearchHit is one result of a research's ranking: a merged search result, with the
// indexes of the queries that found it.
type ResearchHit struct {
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Snippet     string     `json:"snippet"`
	PublishedAt *time.Time `json:"published_at"`
	Sources     []string   `json:"sources"`
	Score       float64    `json:"score"`
	Rank        int        `json:"rank"`
	Queries     []int      `json:"queries"`
}

// FuseRankings merges the rankings of several queries (each a merged, canonical search
// result list, best first, nil for a query that failed) into one. One ranking is kept as
// it is. Several are fused as MergeResults fuses sources: a URL scores the sum over the
// queries that found it of 1/(RRFK+rank), keeps every source, and shows the title,
// snippet and date of its best-ranked occurrence (the earlier query on a tie); the list is
// ordered by score, then best rank, then URL, and ranked from 1.
func FuseRankings(rankings [][]MergedResult) []ResearchHit {
	if len(rankings) == 1 {
		out := make([]ResearchHit, len(rankings[0]))
		for i, r := range rankings[0] {
			out[i] = ResearchHit{Title: r.Title, URL: r.URL, Snippet: r.Snippet, PublishedAt: r.PublishedAt,
				Sources: r.Sources, Score: r.Score, Rank: r.Rank, Queries: []int{0}}
		}
		return out
	}
	type fused struct {
		hit      ResearchHit
		bestRank int
		sources  map[string]bool
	}
	byURL := map[string]*fused{}
	var order []string
	for q, list := range rankings {
		for i, r := range list {
			rank := i + 1
			f := byURL[r.URL]
			if f == nil {
				f = &fused{bestRank: rank, sources: map[string]bool{},
					hit: ResearchHit{Title: r.Title, URL: r.URL, Snippet: r.Snippet, PublishedAt: r.PublishedAt}}
				byURL[r.URL] = f
				order = append(order, r.URL)
			} else if rank < f.bestRank {
				f.bestRank = rank
				f.hit.Title, f.hit.Snippet, f.hit.PublishedAt = r.Title, r.Snippet, r.PublishedAt
			}
			f.hit.Score += 1 / float64(RRFK+rank)
			if len(f.hit.Queries) == 0 || f.hit.Queries[len(f.hit.Queries)-1] != q {
				f.hit.Queries = append(f.hit.Queries, q)
			}
			for _, s := range r.Sources {
				f.sources[s] = true
			}
		}
	}
	out := make([]*fused, 0, len(order))
	for _, u := range order {
		f := byURL[u]
		for s := range f.sources {
			f.hit.Sources = append(f.hit.Sources, s)
		}
		sort.Strings(f.hit.Sources)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.hit.Score != b.hit.Score {
			return a.hit.Score > b.hit.Score
		}
		if a.bestRank != b.bestRank {
			return a.bestRank < b.bestRank
		}
		return a.hit.URL < b.hit.URL
	})
	hits := make([]ResearchHit, len(out))
	for i, f := range out {
		hits[i] = f.hit
		hits[i].Rank = i + 1
	}
	return hits
}
