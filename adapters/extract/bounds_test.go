package extract_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// A page of more nodes than the parser reads is cut at the node that passes the bound: the
// text is the page's beginning, and Truncated says so. Each "<p>x" is two nodes.
func TestLargePageIsTruncated(t *testing.T) {
	t.Parallel()
	page := strings.Repeat("<p>x", extract.MaxParseNodes) // twice the bound
	for _, reader := range []bool{true, false} {
		out, err := extract.New(extract.Config{}).Extract(t.Context(), domain.ExtractInput{HTML: page, ReaderMode: reader})
		require.NoError(t, err)
		require.True(t, out.Truncated, "reader %v", reader)
		require.Equal(t, extract.MaxParseNodes/2, strings.Count(out.Text, "x"), "reader %v: the first half is read", reader)
		require.True(t, strings.HasPrefix(out.Text, "x\n\nx\n\n"), "paragraphs stay paragraphs")
	}

	out, err := extract.New(extract.Config{}).Extract(t.Context(),
		domain.ExtractInput{HTML: strings.Repeat("<p>x", extract.MaxParseNodes/2), ReaderMode: false})
	require.NoError(t, err)
	require.False(t, out.Truncated, "a page of exactly the bound is read whole")
	require.Equal(t, extract.MaxParseNodes/2, strings.Count(out.Text, "x"))
}

// flipCtx is a context whose Err turns to Canceled at its nth call, so a test can end it
// in the middle of an extraction without timing anything.
type flipCtx struct {
	context.Context
	calls, n atomic.Int32
}

func (c *flipCtx) Err() error {
	if c.calls.Add(1) >= c.n.Load() {
		return context.Canceled
	}
	return nil
}

// Extraction checks its context while it works, not only before: the pre-scan of a large
// page stops with the context's error.
func TestExtractStopsOnContext(t *testing.T) {
	t.Parallel()
	page := strings.Repeat("<p>x", 2*extract.MaxParseNodes)
	for _, reader := range []bool{true, false} {
		ctx := &flipCtx{Context: context.Background()}
		ctx.n.Store(2) // the first check passes; the pre-scan's first check does not
		_, err := extract.New(extract.Config{}).Extract(ctx, domain.ExtractInput{HTML: page, ReaderMode: reader})
		require.ErrorIs(t, err, context.Canceled)
	}
}

// U+0000 cannot be stored by PostgreSQL; a JSON-LD block that holds it must not carry it
// into the title, byline, excerpt or site name, nor NUL bytes into the text.
func TestNULIsDropped(t *testing.T) {
	t.Parallel()
	page := `<!doctype html><html lang="en"><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Null\u0000 Headline","author":{"@type":"Person","name":"Ann\u0000 Author"},
"description":"A desc\u0000ription","publisher":{"@type":"Organization","name":"Site\u0000 Name"}}</script>
</head><body><article><h1>Heading</h1>` +
		strings.Repeat("<p>Some prose with a NUL \x00 byte in it, long enough to make an article paragraph.</p>", 8) +
		`</article></body></html>`
	for _, reader := range []bool{true, false} {
		out, err := extract.New(extract.Config{}).Extract(t.Context(), domain.ExtractInput{HTML: page, URL: "https://e.example/a", ReaderMode: reader})
		require.NoError(t, err)
		for name, v := range map[string]string{"title": out.Title, "byline": out.Byline, "excerpt": out.Excerpt,
			"site name": out.SiteName, "lang": out.Lang, "text": out.Text} {
			require.NotContains(t, v, "\x00", "reader %v: %s", reader, name)
		}
		if reader {
			require.Equal(t, "Null Headline", out.Title)
			require.Equal(t, "Ann Author", out.Byline)
		}
		require.Contains(t, out.Text, "Some prose with a NUL")
	}
}
