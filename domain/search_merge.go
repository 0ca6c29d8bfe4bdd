package domain

import (
	"net/url"
	"sort"
	"time"
)

// RRFK is the k of reciprocal rank fusion: a result at rank r in one source scores
// 1/(RRFK+r). 60 is the value of the original paper (Cormack et al., 2009); it keeps one
// source's top hit from drowning out agreement between sources.
const RRFK = 60

// SourceResults is one provider's answer, best first.
type SourceResults struct {
	Source  string
	Results []SearchResult
}

// MergedResult is one deduplicated hit of a merged search, as written to search_results
// artifacts. URL is canonical (CanonicalURL); Sources lists, sorted, every provider that
// returned it; Score is its reciprocal-rank-fusion score; Rank is 1-based.
type MergedResult struct {
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	Snippet     string     `json:"snippet"`
	PublishedAt *time.Time `json:"published_at"`
	Sources     []string   `json:"sources"`
	Score       float64    `json:"score"`
	Rank        int        `json:"rank"`
}

// occurrence is one (source, canonical URL) pair at the best rank the source gave it.
type occurrence struct {
	source string
	rank   int // 1-based position in the source's list
	res    SearchResult
}

// MergeResults folds the sources' answers into one ranked list: URLs are canonicalized
// (results whose URL is not an absolute URL are dropped), duplicates are folded keeping
// every source, each URL scores the sum over sources of 1/(RRFK+rank), and the list is
// ordered by score, then best rank, then URL, and cut at max (max <= 0: no cut).
//
// The outcome does not depend on the order of lists: a source named in several lists
// counts once, at the best rank it gave each URL, and the shown title, snippet and date
// come from the best-ranked occurrence (ties broken by source name), falling back to other
// occurrences for empty fields.
func MergeResults(lists []SourceResults, max int) []MergedResult {
	byURL := map[string]map[string]occurrence{} // canonical URL → source → occurrence
	for _, l := range lists {
		for i, r := range l.Results {
			cu, err := CanonicalURL(r.URL)
			if err != nil {
				continue
			}
			srcs := byURL[cu]
			if srcs == nil {
				srcs = map[string]occurrence{}
				byURL[cu] = srcs
			}
			if prev, ok := srcs[l.Source]; !ok || i+1 < prev.rank || (i+1 == prev.rank && less(r, prev.res)) {
				srcs[l.Source] = occurrence{source: l.Source, rank: i + 1, res: r}
			}
		}
	}

	type scored struct {
		m        MergedResult
		bestRank int
	}
	all := make([]scored, 0, len(byURL))
	for cu, srcs := range byURL {
		occ := make([]occurrence, 0, len(srcs))
		for _, o := range srcs {
			occ = append(occ, o)
		}
		// Sum in a fixed order so float rounding cannot depend on map iteration.
		sort.Slice(occ, func(i, j int) bool { return occ[i].source < occ[j].source })
		m := MergedResult{URL: cu, Sources: make([]string, len(occ))}
		for i, o := range occ {
			m.Sources[i] = o.source
			m.Score += 1 / float64(RRFK+o.rank)
		}
		// Best occurrence first for the shown fields.
		sort.SliceStable(occ, func(i, j int) bool { return occ[i].rank < occ[j].rank })
		for _, o := range occ {
			if m.Title == "" {
				m.Title = o.res.Title
			}
			if m.Snippet == "" {
				m.Snippet = o.res.Snippet
			}
			if m.PublishedAt == nil && o.res.PublishedAt != nil {
				t := o.res.PublishedAt.UTC()
				m.PublishedAt = &t
			}
		}
		if m.Title == "" {
			m.Title = hostOf(cu)
		}
		all = append(all, scored{m: m, bestRank: occ[0].rank})
	}

	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.m.Score != b.m.Score {
			return a.m.Score > b.m.Score
		}
		if a.bestRank != b.bestRank {
			return a.bestRank < b.bestRank
		}
		return a.m.URL < b.m.URL
	})
	if max > 0 && len(all) > max {
		all = all[:max]
	}
	out := make([]MergedResult, len(all))
	for i, s := range all {
		s.m.Rank = i + 1
		out[i] = s.m
	}
	return out
}

// less orders two results of one source at the same rank (only possible when a source is
// named twice), so the kept one does not depend on list order.
func less(a, b SearchResult) bool {
	if a.Title != b.Title {
		return a.Title < b.Title
	}
	if a.Snippet != b.Snippet {
		return a.Snippet < b.Snippet
	}
	if a.URL != b.URL {
		return a.URL < b.URL
	}
	switch {
	case a.PublishedAt == nil || b.PublishedAt == nil:
		return a.PublishedAt != nil && b.PublishedAt == nil
	default:
		return a.PublishedAt.Before(*b.PublishedAt)
	}
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return p.Hostname()
}
