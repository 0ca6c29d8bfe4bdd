package extract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

func TestMetadata(t *testing.T) {
	t.Parallel()
	out := extractReader(t, readPage(t, "news_article"), "https://harbortimes.example/news/flood-barrier")
	require.Equal(t, "City Council Approves Riverside Flood Barrier", out.Title)
	require.Equal(t, "Maria Okonkwo", out.Byline)
	require.Equal(t, "The Harbor Times", out.SiteName)
	require.Equal(t, "en", out.Lang)
	require.Contains(t, out.Excerpt, "council voted 7-2")

	out = extractReader(t, readPage(t, "non_english"), "https://naturblatt.example/bienen")
	require.Equal(t, "de", out.Lang)
	require.Equal(t, "Naturblatt", out.SiteName)
	require.Contains(t, out.Title, "Wie Bienen im Winter überleben")
	require.Equal(t, "Jürgen Weiß", out.Byline)

	out = extractReader(t, readPage(t, "blog_comments"), "https://crumb.example/sourdough")
	require.Equal(t, "Tomas Lindqvist", out.Byline, "from JSON-LD")
	require.Equal(t, "Crumb & Crust", out.SiteName)
	require.Equal(t, "en-GB", out.Lang)

	out = extractReader(t, readPage(t, "shift_jis"), "")
	require.Equal(t, "ja", out.Lang)
	require.Equal(t, "まちなみ通信", out.SiteName)
}

// A page without an article falls back to its visible text, laid out by blocks, without
// scripts, styles, templates, noscript or hidden elements.
func TestFallbackToVisibleText(t *testing.T) {
	t.Parallel()
	out := extractReader(t, readPage(t, "no_article"), "https://status.example/")
	require.Equal(t, "All systems operational\n\nAPI: up\nDashboard: up\n\nLast checked 2 minutes ago.", out.Text)
	require.Equal(t, "Status", out.Title)
}

// Raw mode (reader_mode=false) is the visible text of the whole page: navigation and
// comments included, markup and scripts not.
func TestRawMode(t *testing.T) {
	t.Parallel()
	out, err := extract.New(extract.Config{}).Extract(context.Background(),
		domain.ExtractInput{HTML: readPage(t, "blog_comments"), URL: "https://crumb.example/", ReaderMode: false})
	require.NoError(t, err)
	for _, s := range []string{"About me", "I live in Denver", "Leave a Reply", "Popular recipes",
		"Shorter proofs, cooler water", "Proudly powered by"} {
		require.Contains(t, out.Text, s)
	}
	require.NotContains(t, out.Text, "schema.org", "JSON-LD is a script")
	require.NotContains(t, out.Text, "<")
	require.Equal(t, "Sourdough at altitude: what I learned baking in the mountains – Crumb & Crust", out.Title)
	require.Equal(t, "en-GB", out.Lang)
}

func TestRenderLayout(t *testing.T) {
	t.Parallel()
	page := `<html><body>
<h2>Heading</h2><p>First   paragraph
 spans lines.</p><p>Second<br>line two</p>
<ul><li>one</li><li>two <b>bold</b></li></ul>
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
<pre>  keep
    indent</pre>
<p>inline<span>glued</span> and <em>spaced</em> words&nbsp;here</p>
</body></html>`
	out, err := extract.New(extract.Config{}).Extract(context.Background(), domain.ExtractInput{HTML: page})
	require.NoError(t, err)
	require.Equal(t, "Heading\n\nFirst paragraph spans lines.\n\nSecond\nline two\n\none\ntwo bold\n\na\tb\n1\t2\n\n  keep\n    indent\n\ninlineglued and spaced words here", out.Text)
}

func TestMalformedAndEdgeInputs(t *testing.T) {
	t.Parallel()
	ex := extract.New(extract.Config{})
	inputs := []string{
		"",
		"plain text, no markup at all",
		"<html><body><p>unclosed <div><table><tr><td>cell<p>para</table></b></i></body>",
		"<<<>>><!-- unterminated comment",
		"<svg><foreignObject><p>x</p></foreignObject></svg><math><mi>x</mi></math>",
		strings.Repeat("<div>", 5000) + "deep" + strings.Repeat("</div>", 10),
		"<html><body>" + strings.Repeat("<p>word word word word word.</p>", 2000) + "</body></html>",
		"\x00\xff\xfe garbage bytes \xc3\x28",
		"<frameset><frame src=x></frameset>",
	}
	for _, in := range inputs {
		for _, reader := range []bool{true, false} {
			_, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: in, URL: "https://example.com/", ReaderMode: reader})
			require.NoError(t, err)
		}
	}
	out, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: "plain text, no markup at all", ReaderMode: true})
	require.NoError(t, err)
	require.Equal(t, "plain text, no markup at all", out.Text)
}

func TestExtractHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := extract.New(extract.Config{}).Extract(ctx, domain.ExtractInput{HTML: "<p>x</p>", ReaderMode: true})
	require.ErrorIs(t, err, context.Canceled)
}

// A document too large for the article extractors gets its visible text, quickly.
func TestHugeDocumentFallsBack(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("<html><body><nav>menu</nav>")
	for i := 0; i < 20000; i++ {
		b.WriteString(`<div><p>row text</p><span>x</span></div>`)
	}
	b.WriteString("</body></html>")
	out := extractReader(t, b.String(), "")
	require.True(t, strings.HasPrefix(out.Text, "menu\n\nrow text\n\nx"), "the visible text, navigation included")
}
