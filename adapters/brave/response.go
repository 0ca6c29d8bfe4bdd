package brave

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"time"

	"taskrunner/domain"
)

// response is the part of a web search answer the adapter reads; every other key is
// ignored (Brave adds fields freely).
type response struct {
	Web *struct {
		Results []result `json:"results"`
	} `json:"web"`
}

type result struct {
	Title         string   `json:"title"`
	URL           string   `json:"url"`
	Description   string   `json:"description"`
	ExtraSnippets []string `json:"extra_snippets"`
	PageAge       string   `json:"page_age"`
}

// parseResults decodes a 200 answer. A missing or null "web" and an empty list are zero
// results; a body that is not a JSON object is a permanent error; results without a URL
// are skipped.
func parseResults(body []byte, limit int) ([]domain.SearchResult, error) {
	trimmed := bytes.TrimSpace(body)
	var r response
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, providerError("brave returned a malformed answer (not a JSON object)")
	}
	if err := json.Unmarshal(trimmed, &r); err != nil {
		return nil, providerError("brave returned a malformed answer (invalid JSON)").WithCause(err)
	}
	if r.Web == nil {
		return []domain.SearchResult{}, nil
	}
	out := make([]domain.SearchResult, 0, len(r.Web.Results))
	for _, it := range r.Web.Results {
		u := strings.TrimSpace(it.URL)
		if u == "" {
			continue
		}
		snippet := plainText(it.Description)
		if snippet == "" && len(it.ExtraSnippets) > 0 {
			snippet = plainText(it.ExtraSnippets[0])
		}
		out = append(out, domain.SearchResult{
			Title:       plainText(it.Title),
			URL:         u,
			Snippet:     snippet,
			PublishedAt: parseAge(it.PageAge),
			Source:      Name,
		})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// plainText strips markup (<strong> highlights) and entities, and collapses white space.
// Only things shaped like tags go: "a < b" stays as it is.
func plainText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		end := strings.IndexByte(rest, '>')
		if end < 0 || !looksLikeTag(rest) {
			b.WriteByte('<')
			s = rest
			continue
		}
		s = rest[end+1:]
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

func looksLikeTag(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '/' || c == '!' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// ageLayouts are the forms page_age takes: ISO 8601 without a zone (observed), and
// defensively RFC 3339 and a bare date.
var ageLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02"}

// parseAge reads page_age as UTC; nil when absent or unreadable (an undated page).
func parseAge(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, l := range ageLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}
