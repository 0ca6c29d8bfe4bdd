package extract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// brokenTitlePage is a saved news page that lost the bytes of its title's closer and of
// what followed up to the middle of a script: the parser reads the whole page as the
// title's text. lostOpener keeps the script's code and its closer.
func brokenTitlePage(lostOpener bool) string {
	var b strings.Builder
	b.WriteString("<html><head><title>Bus routes approved - The Harbour Gazette</titvaScript\" src=\"/site.js\">\n")
	if lostOpener {
		b.WriteString("function goPrint() { window.open('/print?id=17', 'preview'); }\n</script>\n")
	}
	b.WriteString(`<link rel="stylesheet" href="/site.css">
</head><body><div id="menu"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></div>
<div class="story"><h1>Bus routes approved</h1>`)
	for _, p := range []string{
		"The council approved the new bus routes on Tuesday after a long public hearing that ran well into the evening.",
		"Three routes will link the harbour with the hospital, the university and the new housing estates on the hill.",
		"The first buses are to run in May, and the fares will stay as they are for the first year of the service.",
		"Residents who spoke at the hearing asked for later buses on weekdays, which the council promised to consider.",
	} {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</div><div id="footer">Copyright The Harbour Gazette</div></body></html>`)
	return b.String()
}

// A title that swallowed the page is closed after its first line and the page read again:
// the article comes out as text, not as the page's markup, and the title is the title's
// words.
func TestUnclosedTitleMended(t *testing.T) {
	t.Parallel()
	out := extractReader(t, brokenTitlePage(false), "https://gazette.example/buses")
	got := collapse(out.Text)
	requireBlock(t, got, "The council approved the new bus routes on Tuesday after a long public hearing that ran well into the evening.")
	requireBlock(t, got, "Residents who spoke at the hearing asked for later buses on weekdays, which the council promised to consider.")
	require.NotContains(t, got, "<p>", "markup read as text")
	require.NotContains(t, got, "Copyright The Harbour Gazette")
	require.True(t, strings.HasPrefix(out.Title, "Bus routes approved - The Harbour Gazette"), out.Title)
	require.Less(t, len(out.Title), 100)
}

// Where the lost bytes took a script's opener too, its code is not page text: the opener
// goes back in before it. The visible text (raw mode) would show the code otherwise.
func TestUnclosedTitleRestoresLostScriptOpener(t *testing.T) {
	t.Parallel()
	out, err := extract.New(extract.Config{}).Extract(context.Background(),
		domain.ExtractInput{HTML: brokenTitlePage(true), URL: "https://gazette.example/buses"})
	require.NoError(t, err)
	require.Contains(t, out.Text, "The first buses are to run in May")
	require.NotContains(t, out.Text, "window.open")
}

// The mended page is bounded again: its markup was one text run for the first bound, and
// is many nodes once the title is closed.
func TestUnclosedTitleMendedPageIsBounded(t *testing.T) {
	t.Parallel()
	page := "<title>Many paragraphs\n" + strings.Repeat("<p>x", extract.MaxParseNodes) // twice the bound
	out, err := extract.New(extract.Config{}).Extract(context.Background(), domain.ExtractInput{HTML: page})
	require.NoError(t, err)
	require.True(t, out.Truncated)
	require.LessOrEqual(t, strings.Count(out.Text, "x"), extract.MaxParseNodes/2)
	require.Greater(t, strings.Count(out.Text, "x"), extract.MaxParseNodes/2-10, "the first half is read")
}
