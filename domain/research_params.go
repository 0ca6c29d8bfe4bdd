package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Research limits and defaults (API.md "Research and fetch formats").
const (
	DefaultResearchFetchTop = 5
	MaxResearchFetchTop     = 20
)

// researchFormats are the fetch formats of API.md a research passes on to its fetches;
// the fetch_url handler validates them again on each child (it owns their meaning).
var researchFormats = []string{"text", "markdown", "links", "html"}

// ResearchParams are the normalized params of a research task. Queries holds one query
// for a request that gave "query"; Single says so, so the report can echo the request's
// own shape.
type ResearchParams struct {
	Queries     []string `json:"queries"`
	Single      bool     `json:"single"`
	Sources     []string `json:"sources"`
	RecencyDays int      `json:"recency_days"`
	MaxResults  int      `json:"max_results"`
	FetchTop    int      `json:"fetch_top"`
	Formats     []string `json:"formats"`
	ReaderMode  bool     `json:"reader_mode"`
}

// Search returns the params of the i-th query as a single search.
func (p ResearchParams) Search(i int) SearchParams {
	return SearchParams{Query: p.Queries[i], Sources: p.Sources, RecencyDays: p.RecencyDays, MaxResults: p.MaxResults}
}

// researchInput is the wire shape of the research-only fields; the search fields are read
// by the search parsers.
type researchInput struct {
	Query      json.RawMessage `json:"query"`
	Queries    json.RawMessage `json:"queries"`
	FetchTop   *int            `json:"fetch_top"`
	Formats    *[]string       `json:"formats"`
	ReaderMode *bool           `json:"reader_mode"`
}

// ParseResearchParams validates and normalizes research params: "query" or "queries"
// (one of them, checked as search and search_batch check them, so 1..l.MaxBatchSize
// queries), sources, recency_days and max_results as for search, fetch_top 0..20 (default
// 5), formats a non-empty list of distinct fetch formats (default ["text"]), reader_mode
// default true. Unknown fields are ignored, as for search and fetch.
func ParseResearchParams(raw json.RawMessage, l Limits) (ResearchParams, error) {
	var in researchInput
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return ResearchParams{}, InvalidRequest("params", "params must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field := "params." + strings.SplitN(te.Field, ".", 2)[0]
			return ResearchParams{}, InvalidRequest(field, "%s has the wrong type", field)
		}
		return ResearchParams{}, InvalidRequest("params", "params must be a JSON object")
	}
	hasQuery, hasQueries := jsonGiven(in.Query), jsonGiven(in.Queries)
	var p ResearchParams
	switch {
	case hasQuery && hasQueries:
		return ResearchParams{}, InvalidParams("params.queries", "give params.query or params.queries, not both")
	case hasQueries:
		b, err := ParseSearchBatchParams(trimmed, l)
		if err != nil {
			return ResearchParams{}, err
		}
		p = ResearchParams{Queries: b.Queries, Sources: b.Sources, RecencyDays: b.RecencyDays, MaxResults: b.MaxResults}
	default: // ParseSearchParams names params.query when it is missing
		s, err := ParseSearchParams(trimmed, l)
		if err != nil {
			return ResearchParams{}, err
		}
		p = ResearchParams{Queries: []string{s.Query}, Single: true, Sources: s.Sources, RecencyDays: s.RecencyDays, MaxResults: s.MaxResults}
	}
	p.FetchTop = DefaultResearchFetchTop
	if in.FetchTop != nil {
		if *in.FetchTop < 0 || *in.FetchTop > MaxResearchFetchTop {
			return ResearchParams{}, InvalidParams("params.fetch_top",
				"params.fetch_top must be between 0 and %d, got %d", MaxResearchFetchTop, *in.FetchTop)
		}
		p.FetchTop = *in.FetchTop
	}
	formats, err := parseResearchFormats(in.Formats)
	if err != nil {
		return ResearchParams{}, err
	}
	p.Formats = formats
	p.ReaderMode = in.ReaderMode == nil || *in.ReaderMode
	return p, nil
}

// parseResearchFormats checks a formats list: absent means ["text"]; present, it holds 1..4
// distinct known formats, kept in the order given.
func parseResearchFormats(in *[]string) ([]string, error) {
	const field = "params.formats"
	if in == nil {
		return []string{"text"}, nil
	}
	if len(*in) == 0 {
		return nil, InvalidParams(field, "%s must name at least one format of %s", field, strings.Join(researchFormats, ", "))
	}
	out := make([]string, 0, len(*in))
	for _, f := range *in {
		f = strings.ToLower(strings.TrimSpace(f))
		if !listHas(researchFormats, f) {
			return nil, InvalidParams(field, "%s may hold only %s", field, strings.Join(researchFormats, ", "))
		}
		if listHas(out, f) {
			return nil, InvalidParams(field, "%s names %q twice", field, f)
		}
		out = append(out, f)
	}
	return out, nil
}

// present reports whether a JSON field was given a value other than null.
func jsonGiven(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func listHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
