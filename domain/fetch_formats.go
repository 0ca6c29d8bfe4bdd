package domain

import (
	"encoding/json"
	"slices"
	"strings"
)

// FetchFormat is one rendering of a fetched page that a fetch_url task can store.
type FetchFormat string

// The formats of API.md, in the order their artifacts are listed in a result.
const (
	FormatText     FetchFormat = "text"     // fetch_text: the readable text
	FormatMarkdown FetchFormat = "markdown" // fetch_markdown: CommonMark with GFM tables
	FormatLinks    FetchFormat = "links"    // fetch_links: every link of the page, as JSON
	FormatHTML     FetchFormat = "html"     // fetch_html: the original bytes
)

// Artifact types of the formats that are new with formats.
const (
	ArtifactFetchMarkdown = "fetch_markdown"
	ArtifactFetchLinks    = "fetch_links"
)

// allFetchFormats is every format in result order.
var allFetchFormats = []FetchFormat{FormatText, FormatMarkdown, FormatLinks, FormatHTML}

// DefaultFetchFormats is what a fetch stores when it asks for no formats.
func DefaultFetchFormats() []FetchFormat { return []FetchFormat{FormatText} }

// ArtifactType is the artifact type a format is stored as.
func (f FetchFormat) ArtifactType() string {
	switch f {
	case FormatMarkdown:
		return ArtifactFetchMarkdown
	case FormatLinks:
		return ArtifactFetchLinks
	case FormatHTML:
		return ArtifactFetchHTML
	default:
		return ArtifactFetchText
	}
}

// FormatOfArtifact is the format an artifact type holds; ok is false for other types.
func FormatOfArtifact(artifactType string) (FetchFormat, bool) {
	for _, f := range allFetchFormats {
		if f.ArtifactType() == artifactType {
			return f, true
		}
	}
	return "", false
}

// parseFetchFormats validates params.formats: a non-empty list of known formats. The
// result is deduplicated and in result order, so equal sets compare equal; store_raw_html
// adds html.
func parseFetchFormats(raw json.RawMessage, storeRawHTML bool) ([]FetchFormat, error) {
	const field = "params.formats"
	var names []string
	if raw == nil || string(raw) == "null" {
		names = []string{string(FormatText)}
	} else if err := json.Unmarshal(raw, &names); err != nil {
		return nil, InvalidRequest(field, "params.formats must be an array of strings")
	}
	if len(names) == 0 {
		return nil, InvalidParams(field, "params.formats must name at least one of text, markdown, links, html")
	}
	if len(names) > 16 { // four formats exist; a long list is a mistake, not a request
		return nil, InvalidParams(field, "params.formats has %d entries; there are only four formats", len(names))
	}
	set := map[FetchFormat]bool{}
	for _, n := range names {
		f := FetchFormat(strings.ToLower(strings.TrimSpace(n)))
		if !slices.Contains(allFetchFormats, f) {
			return nil, InvalidParams(field, "unknown format %q in params.formats; use text, markdown, links or html", n).
				WithDetail("allowed", allFetchFormats)
		}
		set[f] = true
	}
	if storeRawHTML {
		set[FormatHTML] = true
	}
	out := make([]FetchFormat, 0, len(set))
	for _, f := range allFetchFormats {
		if set[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// EffectiveFormats are the formats a fetch stores: Formats, or for params stored before
// formats existed, text and (with store_raw_html) html.
func (p FetchParams) EffectiveFormats() []FetchFormat {
	if len(p.Formats) > 0 {
		return p.Formats
	}
	if p.StoreRawHTML {
		return []FetchFormat{FormatText, FormatHTML}
	}
	return DefaultFetchFormats()
}

// Wants reports whether the fetch stores format f.
func (p FetchParams) Wants(f FetchFormat) bool { return slices.Contains(p.EffectiveFormats(), f) }
