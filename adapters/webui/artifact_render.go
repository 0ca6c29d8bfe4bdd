package webui

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"taskrunner/domain"
)

// renderedBody is an artifact's content as a page shows it: one of the views is set,
// chosen by the artifact's type, then its content type. Text stays text: templates escape
// it, and markdown goes through a renderer that drops raw HTML and unsafe links.
type renderedBody struct {
	Search   *searchView
	Batch    []searchView
	Research *researchView
	Links    []linkView
	Markdown template.HTML // rendered by goldmark without raw HTML
	Source   string        // the text itself: JSON pretty-printed, HTML as source
	Kind     string        // "json", "html", "markdown", "text" or "binary"
}

// markdown renders CommonMark with GFM tables; without html.WithUnsafe, goldmark omits raw
// HTML and leaves out links whose scheme could run script (javascript:, vbscript:, ...).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

func renderBody(a domain.Artifact, data []byte) renderedBody {
	var b renderedBody
	switch a.Type {
	case "search_results":
		b.Search = parseSearchDoc(data)
	case "search_batch_results":
		b.Batch = parseBatchDoc(data)
	case "research_report":
		b.Research = parseResearch(data)
	case "fetch_links":
		b.Links = parseLinks(data)
	}
	ct, _, _ := strings.Cut(strings.ToLower(a.ContentType), ";")
	ct = strings.TrimSpace(ct)
	switch {
	case !utf8.Valid(data):
		b.Kind = "binary"
	case ct == "text/markdown":
		b.Kind, b.Source = "markdown", string(data)
		var out bytes.Buffer
		if err := markdown.Convert(data, &out); err == nil {
			b.Markdown = template.HTML(out.String()) //nolint:gosec // goldmark's safe mode: raw HTML omitted
		}
	case ct == "application/json" || strings.HasSuffix(ct, "+json"):
		b.Kind, b.Source = "json", prettyJSON(data)
	case ct == "text/html" || ct == "application/xhtml+xml":
		b.Kind, b.Source = "html", string(data)
	case strings.HasPrefix(ct, "text/"):
		b.Kind, b.Source = "text", string(data)
	default:
		b.Kind = "binary"
	}
	return b
}

// linkView is one link of a fetch_links artifact.
type linkView struct {
	URL, Text string
	Href      string // the URL when it is http(s), else "" (shown as text only)
	Internal  bool
}

func parseLinks(data []byte) []linkView {
	var doc struct {
		Links []struct {
			URL      string `json:"url"`
			Text     string `json:"text"`
			Internal bool   `json:"internal"`
		} `json:"links"`
	}
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	out := make([]linkView, 0, len(doc.Links))
	for _, l := range doc.Links {
		out = append(out, linkView{URL: l.URL, Text: l.Text, Href: webHref(l.URL), Internal: l.Internal})
	}
	return out
}

// webHref returns u when it is an http(s) URL, so no artifact can put a javascript: or
// data: URL in a link.
func webHref(u string) string {
	lower := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		return strings.TrimSpace(u)
	}
	return ""
}
