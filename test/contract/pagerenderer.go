package contract

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// PageRenderer is the contract of ports.PageRenderer.
func PageRenderer(t *testing.T, newRenderer func(t *testing.T) ports.PageRenderer) {
	t.Helper()
	runSuite(t, newRenderer, []suiteCase[ports.PageRenderer]{
		{"Render", "MarkdownKeepsStructure", renderStructure},
		{"Render", "LinksAreAbsoluteAndUnique", renderLinks},
		{"Render", "MetadataAlways", renderMeta},
		{"Render", "OnlyWhatIsAskedFor", renderOnlyAsked},
		{"Render", "MalformedHTMLIsNoError", renderMalformed},
		{"Render", "EndedContext", renderEndedContext},
	})
}

const renderPage = `<!doctype html><html lang="de"><head><title>T</title>
<link rel="canonical" href="/canon"><meta property="article:published_time" content="2024-05-06T07:08:09+02:00"></head>
<body><h2>Section</h2><p>Some <em>text</em> with <a href="/a">a link</a>.</p>
<ul><li>one</li><li>two</li></ul><p><a href="/a#frag">again</a> <a href="https://other.example/x">out</a></p></body></html>`

func renderIn(md, links bool) domain.RenderInput {
	return domain.RenderInput{HTML: renderPage, URL: "https://site.example/dir/page", Markdown: md, Links: links}
}

func renderStructure(t *testing.T, r ports.PageRenderer) {
	out, err := r.Render(t.Context(), renderIn(true, false))
	require.NoError(t, err)
	for _, want := range []string{"## Section", "*text*", "[a link](https://site.example/a)", "- one\n- two"} {
		require.Contains(t, out.Markdown, want)
	}
}

func renderLinks(t *testing.T, r ports.PageRenderer) {
	out, err := r.Render(t.Context(), renderIn(false, true))
	require.NoError(t, err)
	require.Equal(t, []domain.PageLink{
		{URL: "https://site.example/a", Text: "a link", Internal: true},
		{URL: "https://other.example/x", Text: "out", Internal: false},
	}, out.Links)
}

func renderMeta(t *testing.T, r ports.PageRenderer) {
	out, err := r.Render(t.Context(), renderIn(false, false))
	require.NoError(t, err)
	require.Equal(t, domain.PageMeta{PublishedAt: "2024-05-06T05:08:09Z", CanonicalURL: "https://site.example/canon", Lang: "de"}, out.Meta)
}

func renderOnlyAsked(t *testing.T, r ports.PageRenderer) {
	out, err := r.Render(t.Context(), renderIn(false, false))
	require.NoError(t, err)
	require.Empty(t, out.Markdown)
	require.Empty(t, out.Links)
}

func renderMalformed(t *testing.T, r ports.PageRenderer) {
	out, err := r.Render(t.Context(), domain.RenderInput{HTML: "<p>open <b>bold <a href='x'>unclosed" + strings.Repeat("<div>", 600),
		URL: "https://site.example/", Markdown: true, Links: true})
	require.NoError(t, err)
	require.Contains(t, out.Markdown, "open")
}

func renderEndedContext(t *testing.T, r ports.PageRenderer) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := r.Render(ctx, renderIn(true, true))
	require.ErrorIs(t, err, context.Canceled)
}
