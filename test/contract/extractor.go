package contract

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Extractor is the contract of ports.Extractor.
func Extractor(t *testing.T, newExtractor func(t *testing.T) ports.Extractor) {
	t.Helper()
	runSuite(t, newExtractor, []suiteCase[ports.Extractor]{
		{"Extract", "ReaderModeFindsArticle", extractArticle},
		{"Extract", "VisibleTextKeepsNavigation", extractVisible},
		{"Extract", "NoArticleFallsBackToVisibleText", extractFallback},
		{"Extract", "EmptyInput", extractEmpty},
		{"Extract", "MalformedHTML", extractMalformed},
		{"Extract", "EndedContext", extractEndedContext},
	})
}

// The article page: a headline and five paragraphs of prose, wrapped in navigation, a
// sidebar and a footer whose phrases must not reach the article.
var (
	articleParagraphs = []string{
		"The harbour authority confirmed on Tuesday that the old grain terminal will be converted into a public library, ending a decade of debate about the future of the derelict building on the eastern quay.",
		"Architects plan to keep the concrete silos and cut tall windows into their walls, so that the reading rooms inside look out over the water and the ferries that cross the bay every twenty minutes.",
		"Construction is expected to take three years and to cost about forty million euros, most of it from a regional fund for the reuse of industrial sites that was created after the shipyards closed.",
		"Residents who opposed an earlier proposal for luxury flats welcomed the decision, although some shop owners worry that the building work will block access to the fish market during the summer season.",
		"The authority will publish the detailed plans next month and has promised three public meetings, the first of them in the ferry terminal hall, before the final design is approved by the council.",
	}
	navPhrases    = []string{"Subscribe to our newsletter", "Weather forecast", "Sports results"}
	footerPhrases = []string{"Copyright Harbour Gazette Media Group", "Privacy settings and cookie policy"}
)

func articlePage() string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Old grain terminal to become a library | Harbour Gazette</title></head><body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/weather">` + navPhrases[1] + `</a></li><li><a href="/sport">` + navPhrases[2] + `</a></li>
<li><a href="/subscribe">` + navPhrases[0] + `</a></li></ul></nav></header>
<main><article><h1>Old grain terminal to become a library</h1>
<p class="byline">By Ana Ribeiro</p>
`)
	for _, p := range articleParagraphs {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Ferry timetable changes</a></li><li><a href="/b">Council budget vote</a></li></ul></aside>
<footer><p>` + footerPhrases[0] + `</p><p><a href="/privacy">` + footerPhrases[1] + `</a></p></footer>
</body></html>`)
	return b.String()
}

func extract(t *testing.T, e ports.Extractor, in domain.ExtractInput) domain.Extracted {
	t.Helper()
	out, err := e.Extract(t.Context(), in)
	require.NoError(t, err)
	return out
}

func extractArticle(t *testing.T, e ports.Extractor) {
	out := extract(t, e, domain.ExtractInput{HTML: articlePage(), URL: "https://gazette.example/news/library", ReaderMode: true})
	require.Contains(t, out.Title, "Old grain terminal to become a library")
	for _, p := range articleParagraphs {
		require.Contains(t, out.Text, p)
	}
	for _, s := range append(append([]string{}, navPhrases...), footerPhrases...) {
		require.NotContains(t, out.Text, s, "reader mode drops boilerplate")
	}
	require.NotContains(t, out.Text, "<p>", "text, not markup")
}

func extractVisible(t *testing.T, e ports.Extractor) {
	out := extract(t, e, domain.ExtractInput{HTML: articlePage(), URL: "https://gazette.example/news/library", ReaderMode: false})
	for _, s := range append(append(append([]string{}, articleParagraphs...), navPhrases...), footerPhrases...) {
		require.Contains(t, out.Text, s, "the whole page's visible text")
	}
	require.NotContains(t, out.Text, "<a", "text, not markup")
	require.NotContains(t, out.Text, "Harbour Gazette</title>")
}

func extractFallback(t *testing.T, e ports.Extractor) {
	page := `<html><head><title>Status</title><style>p{color:red}</style><script>var hidden = "script text";</script></head>
<body><h1>All systems operational</h1><ul><li>API: up</li><li>Dashboard: up</li></ul><p>Last checked 2 minutes ago.</p></body></html>`
	out := extract(t, e, domain.ExtractInput{HTML: page, URL: "https://status.example/", ReaderMode: true})
	for _, s := range []string{"All systems operational", "API: up", "Dashboard: up", "Last checked 2 minutes ago."} {
		require.Contains(t, out.Text, s, "no article: the visible text")
	}
	require.NotContains(t, out.Text, "script text")
	require.NotContains(t, out.Text, "color:red")
}

func extractEmpty(t *testing.T, e ports.Extractor) {
	for _, reader := range []bool{true, false} {
		for _, page := range []string{"", "   \n\t", "<html><head></head><body></body></html>"} {
			out := extract(t, e, domain.ExtractInput{HTML: page, ReaderMode: reader})
			require.Empty(t, strings.TrimSpace(out.Text), "reader %v, page %q", reader, page)
		}
	}
}

func extractMalformed(t *testing.T, e ports.Extractor) {
	pages := []string{
		"<html><body><p>unclosed <b>bold <i>italic</p></div></span>text after",
		"<<<>>>&&&;;; </html><html><body><body><p>twice</p>",
		"<table><tr><td>cell<table><td>nested</tr></p>",
		"<p>" + strings.Repeat("<div>", 2000) + "deep" + strings.Repeat("</div>", 10),
		"\x00\xff\xfe<p>bytes that are not UTF-8 \xc3\x28</p>",
		"<script>unterminated script",
		"plain text, no tags at all",
		"<!-- a comment that never ends <p>hidden",
	}
	for _, reader := range []bool{true, false} {
		for _, page := range pages {
			require.NotPanics(t, func() {
				_, err := e.Extract(t.Context(), domain.ExtractInput{HTML: page, URL: "not a url", ReaderMode: reader})
				require.NoError(t, err, "reader %v, page %q", reader, page)
			})
		}
	}
	out := extract(t, e, domain.ExtractInput{HTML: "plain text, no tags at all", ReaderMode: true})
	require.Equal(t, "plain text, no tags at all", strings.TrimSpace(out.Text))
}

// extractEndedContext: an ended context ends the extraction with its error, whatever the
// page; callers rely on it to stop work whose task is over.
func extractEndedContext(t *testing.T, e ports.Extractor) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, reader := range []bool{true, false} {
		_, err := e.Extract(ctx, domain.ExtractInput{HTML: articlePage(), URL: "https://gazette.example/news/library", ReaderMode: reader})
		require.ErrorIs(t, err, context.Canceled, "reader %v", reader)
	}
}
