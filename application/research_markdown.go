package application

import (
	"fmt"
	"strings"
)

// renderResearchMarkdown is the research_report_md digest: a title, then per page read its
// title (linked), byline and date, and a short excerpt; then the failures; then the
// results that were ranked but not fetched. CommonMark: ATX headings, "-" bullets, links
// with absolute URLs.
func renderResearchMarkdown(doc reportDoc) string {
	var b strings.Builder
	if doc.Query != "" {
		fmt.Fprintf(&b, "# Research: %s\n\n", mdText(doc.Query))
	} else {
		fmt.Fprintf(&b, "# Research: %d queries\n\n", len(doc.Queries))
		for _, q := range doc.Queries {
			fmt.Fprintf(&b, "- %s\n", mdText(q))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d results ranked; %d pages read (%d from the cache), %d failed.\n\n",
		len(doc.Results), doc.Fetched, doc.Cached, doc.Failed)
	var failed, unfetched []reportResult
	read := 0
	for _, r := range doc.Results {
		switch {
		case r.Fetch == nil:
			unfetched = append(unfetched, r)
		case r.Fetch.Status != "succeeded":
			failed = append(failed, r)
		default:
			read++
			writeReadPage(&b, read, r)
		}
	}
	if len(failed) > 0 {
		b.WriteString("## Failures\n\n")
		for _, r := range failed {
			code := "unknown"
			if r.Fetch.ErrorCode != nil {
				code = string(*r.Fetch.ErrorCode)
			}
			fmt.Fprintf(&b, "- %s: `%s` %s\n", mdLink(r.Title, r.URL), code, mdText(r.Fetch.ErrorMessage))
		}
		b.WriteString("\n")
	}
	if len(unfetched) > 0 {
		b.WriteString("## Also found\n\n")
		for _, r := range unfetched {
			fmt.Fprintf(&b, "- %s\n", mdLink(r.Title, r.URL))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func writeReadPage(b *strings.Builder, n int, r reportResult) {
	title := r.Fetch.Title
	if title == "" {
		title = r.Title
	}
	fmt.Fprintf(b, "## %d. %s\n\n", n, mdLink(title, r.URL))
	var about []string
	if r.Fetch.Byline != "" {
		about = append(about, mdText(r.Fetch.Byline))
	}
	if r.Fetch.PublishedAt != nil {
		about = append(about, mdText(*r.Fetch.PublishedAt))
	}
	if r.Fetch.WordCount != nil {
		about = append(about, fmt.Sprintf("%d words", *r.Fetch.WordCount))
	}
	if len(about) > 0 {
		fmt.Fprintf(b, "*%s*\n\n", strings.Join(about, " · "))
	}
	excerpt := r.Fetch.Excerpt
	if excerpt == "" {
		excerpt = r.Snippet
	}
	if excerpt != "" {
		fmt.Fprintf(b, "> %s\n\n", mdText(excerpt))
	}
}

// mdLink is a CommonMark link; the destination in angle brackets may hold parentheses.
func mdLink(text, url string) string {
	if text == "" {
		text = url
	}
	dest := strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(url)
	return "[" + mdText(text) + "](<" + dest + ">)"
}

// mdText makes s one line of plain markdown text: line breaks become spaces and the
// characters that would start markup are escaped.
var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "\\<", ">", "\\>",
	"#", "\\#", "|", "\\|", "\r\n", " ", "\n", " ", "\r", " ",
)

func mdText(s string) string { return mdEscaper.Replace(strings.TrimSpace(s)) }
