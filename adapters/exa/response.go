package exa

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"taskrunner/domain"
)

// snippetMax bounds a snippet taken from page text (highlights are already short).
const snippetMax = 300

// response is the part of an Exa answer the adapter reads; unknown fields are ignored.
// Results is a pointer so that a missing "results" key can be told from an empty list.
type response struct {
	RequestID string    `json:"requestId"`
	Results   *[]result `json:"results"`
}

type result struct {
	URL           string   `json:"url"`
	Title         *string  `json:"title"`
	PublishedDate *string  `json:"publishedDate"`
	Highlights    []string `json:"highlights"`
	Summary       string   `json:"summary"`
	Text          string   `json:"text"`
}

// parseResults decodes a 200 answer. "results": [] is zero results; a body that is not a
// JSON object or lacks "results" is a permanent error; results without a URL are skipped.
func parseResults(body []byte, limit int) ([]domain.SearchResult, error) {
	trimmed := bytes.TrimSpace(body)
	var r response
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, providerError("exa returned a malformed answer (not a JSON object)")
	}
	if err := json.Unmarshal(trimmed, &r); err != nil {
		return nil, providerError("exa returned a malformed answer (invalid JSON)").WithCause(err)
	}
	if r.Results == nil {
		return nil, providerError("exa returned a malformed answer (no results field)").WithDetail("request_id", r.RequestID)
	}
	out := make([]domain.SearchResult, 0, len(*r.Results))
	for _, it := range *r.Results {
		u := strings.TrimSpace(it.URL)
		if u == "" {
			continue
		}
		title := ""
		if it.Title != nil {
			title = oneLine(*it.Title)
		}
		if title == "" {
			title = hostOf(u)
		}
		out = append(out, domain.SearchResult{
			Title:       title,
			URL:         u,
			Snippet:     snippet(it),
			PublishedAt: parseDate(it.PublishedDate),
			Source:      Name,
		})
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// snippet is the first highlight, else the start of the summary, else of the text.
func snippet(r result) string {
	for _, h := range r.Highlights {
		if s := oneLine(h); s != "" {
			return s
		}
	}
	if s := oneLine(r.Summary); s != "" {
		return clip(s)
	}
	return clip(oneLine(r.Text))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip cuts s to about snippetMax characters at a word boundary.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= snippetMax {
		return s
	}
	cut := string(r[:snippetMax])
	if i := strings.LastIndexByte(cut, ' '); i > snippetMax/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Hostname() == "" {
		return u
	}
	return p.Hostname()
}

// dateLayouts are the forms publishedDate takes: RFC 3339 with milliseconds (usual) and a
// bare date (in the docs).
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"}

// parseDate reads publishedDate as UTC; nil when null, absent or unreadable.
func parseDate(s *string) *time.Time {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(*s)); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}
