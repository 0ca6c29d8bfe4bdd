package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search source names. KnownSearchSources is every provider this build can speak to; a
// request may only name a source that is known AND on SEARCH_SOURCE_ALLOWLIST.
const (
	SourceBrave = "brave"
	SourceExa   = "exa"
	SourceDemo  = "demo"
)

// KnownSearchSources lists the provider names a search may name, in display order.
var KnownSearchSources = []string{SourceBrave, SourceExa, SourceDemo}

// Search parameter limits and defaults. The query limits are Brave's (400 characters and
// 50 words), the strictest provider's, so a query accepted at submit is never refused by a
// provider for its length.
const (
	SearchQueryMaxChars = 400
	SearchQueryMaxWords = 50
	DefaultRecencyDays  = 7
	MaxRecencyDays      = 3650
	DefaultSearchSource = SourceBrave
)

// SearchParams are the normalized params of a search task: what Validate stores and Run
// reads. Sources are lower-case, deduplicated and sorted, so equal requests look equal.
type SearchParams struct {
	Query       string   `json:"query"`
	Sources     []string `json:"sources"`
	RecencyDays int      `json:"recency_days"`
	MaxResults  int      `json:"max_results"`
}

// SearchBatchParams are the normalized params of a search_batch task. Queries keep their
// order (and duplicates): the grouped artifact answers them one by one.
type SearchBatchParams struct {
	Queries     []string `json:"queries"`
	Sources     []string `json:"sources"`
	RecencyDays int      `json:"recency_days"`
	MaxResults  int      `json:"max_results"`
}

// Query returns the params of the batch's i-th query as a single search.
func (b SearchBatchParams) Query(i int) SearchParams {
	return SearchParams{Query: b.Queries[i], Sources: b.Sources, RecencyDays: b.RecencyDays, MaxResults: b.MaxResults}
}

// searchInput is the wire shape of search params; pointers tell absent from zero.
type searchInput struct {
	Query       *string   `json:"query"`
	Queries     *[]string `json:"queries"`
	Sources     *[]string `json:"sources"`
	RecencyDays *int      `json:"recency_days"`
	MaxResults  *int      `json:"max_results"`
}

// ParseSearchParams validates and normalizes the params of a search task: query required
// (see NormalizeQuery, 1..SearchQueryMaxChars characters, at most SearchQueryMaxWords
// words), sources default [DefaultSearchSource], recency_days default DefaultRecencyDays
// (0..MaxRecencyDays, 0 = no filter), max_results default and cap l.SearchMaxResults.
// Unknown fields are ignored, as the predecessor's API did.
func ParseSearchParams(raw json.RawMessage, l Limits) (SearchParams, error) {
	in, err := decodeSearchInput(raw)
	if err != nil {
		return SearchParams{}, err
	}
	if in.Query == nil {
		return SearchParams{}, InvalidParams("params.query", "params.query is required")
	}
	q, err := ValidateQuery("params.query", *in.Query)
	if err != nil {
		return SearchParams{}, err
	}
	p := SearchParams{Query: q}
	if p.Sources, p.RecencyDays, p.MaxResults, err = parseSearchCommon(in, l); err != nil {
		return SearchParams{}, err
	}
	return p, nil
}

// ParseSearchBatchParams validates and normalizes the params of a search_batch task:
// queries holds 1..l.MaxBatchSize queries, each checked as ParseSearchParams checks a
// query; sources, recency_days and max_results as for a single search.
func ParseSearchBatchParams(raw json.RawMessage, l Limits) (SearchBatchParams, error) {
	in, err := decodeSearchInput(raw)
	if err != nil {
		return SearchBatchParams{}, err
	}
	if in.Queries == nil {
		return SearchBatchParams{}, InvalidParams("params.queries", "params.queries is required")
	}
	n := len(*in.Queries)
	if n < 1 || n > l.MaxBatchSize {
		return SearchBatchParams{}, InvalidParams("params.queries",
			"params.queries must hold 1 to %d queries, got %d", l.MaxBatchSize, n).
			WithDetail("max_batch_size", l.MaxBatchSize)
	}
	p := SearchBatchParams{Queries: make([]string, n)}
	for i, raw := range *in.Queries {
		if p.Queries[i], err = ValidateQuery(fmt.Sprintf("params.queries[%d]", i), raw); err != nil {
			return SearchBatchParams{}, err
		}
	}
	if p.Sources, p.RecencyDays, p.MaxResults, err = parseSearchCommon(in, l); err != nil {
		return SearchBatchParams{}, err
	}
	return p, nil
}

func decodeSearchInput(raw json.RawMessage) (searchInput, error) {
	var in searchInput
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return in, InvalidRequest("params", "params must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field := "params." + strings.SplitN(te.Field, ".", 2)[0]
			return in, InvalidRequest(field, "%s must be %s", field, wantType(field))
		}
		return in, InvalidRequest("params", "params must be a JSON object")
	}
	return in, nil
}

func wantType(field string) string {
	switch field {
	case "params.query":
		return "a string"
	case "params.queries", "params.sources":
		return "an array of strings"
	default:
		return "an integer"
	}
}

func parseSearchCommon(in searchInput, l Limits) (sources []string, recency, max int, err error) {
	if sources, err = ResolveSources(in.Sources, l); err != nil {
		return nil, 0, 0, err
	}
	recency = DefaultRecencyDays
	if in.RecencyDays != nil {
		recency = *in.RecencyDays
		if recency < 0 || recency > MaxRecencyDays {
			return nil, 0, 0, InvalidParams("params.recency_days",
				"params.recency_days must be between 0 and %d, got %d", MaxRecencyDays, recency)
		}
	}
	max = l.SearchMaxResults
	if in.MaxResults != nil {
		max = *in.MaxResults
		if max < 1 || max > l.SearchMaxResults {
			return nil, 0, 0, InvalidParams("params.max_results",
				"params.max_results must be between 1 and %d, got %d", l.SearchMaxResults, max)
		}
	}
	return sources, recency, max, nil
}

// NormalizeQuery trims a query and collapses every run of white space (tabs and newlines
// included) to one space. The result is what providers are sent.
func NormalizeQuery(q string) string { return strings.Join(strings.Fields(q), " ") }

// ValidateQuery normalizes q and checks it: non-empty, valid UTF-8, no control characters,
// at most SearchQueryMaxChars characters and SearchQueryMaxWords words. field names the
// param in the error ("params.query", "params.queries[2]").
func ValidateQuery(field, q string) (string, error) {
	if !utf8.ValidString(q) {
		return "", InvalidParams(field, "%s is not valid UTF-8", field)
	}
	n := NormalizeQuery(q)
	switch {
	case n == "":
		return "", InvalidParams(field, "%s must not be empty", field)
	case utf8.RuneCountInString(n) > SearchQueryMaxChars:
		return "", InvalidParams(field, "%s must be at most %d characters, got %d",
			field, SearchQueryMaxChars, utf8.RuneCountInString(n))
	case len(strings.Fields(n)) > SearchQueryMaxWords:
		return "", InvalidParams(field, "%s must be at most %d words, got %d",
			field, SearchQueryMaxWords, len(strings.Fields(n)))
	case strings.IndexFunc(n, unicode.IsControl) >= 0:
		return "", InvalidParams(field, "%s must not contain control characters", field)
	}
	return n, nil
}

// ResolveSources applies the source rules: nil (absent or null) → l.SearchDefaultSources,
// or [DefaultSearchSource] when that is empty; otherwise at least one name, each a known
// source and on the allowlist. Names are trimmed and lower-cased; the result is
// deduplicated and sorted.
func ResolveSources(sources *[]string, l Limits) ([]string, error) {
	names := []string{DefaultSearchSource}
	if len(l.SearchDefaultSources) > 0 {
		names = l.SearchDefaultSources
	}
	if sources != nil {
		names = *sources
	}
	if len(names) == 0 {
		return nil, InvalidParams("params.sources", "params.sources must name at least one source")
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(names))
	for _, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		if !isKnownSource(name) {
			return nil, InvalidParams("params.sources", "unknown search source %q; known sources: %s",
				raw, strings.Join(KnownSearchSources, ", ")).WithDetail("source", raw)
		}
		if !l.SourceAllowed(name) {
			return nil, InvalidParams("params.sources",
				"search source %q is not in SEARCH_SOURCE_ALLOWLIST (allowed: %s)",
				name, strings.Join(l.SearchSourceAllowlist, ", ")).WithDetail("source", name)
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

func isKnownSource(name string) bool {
	for _, s := range KnownSearchSources {
		if s == name {
			return true
		}
	}
	return false
}
