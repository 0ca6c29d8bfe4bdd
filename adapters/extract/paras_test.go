package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParagraphsFromBreaks(t *testing.T) {
	// A Blogger-style post: one <div> of text runs separated by <br><br>, with a table,
	// a list and a quote between runs. Every run is article text.
	run := func(s string) string {
		return strings.Repeat(s+" walked along the harbour wall while the tide came in over the old slipway. ", 3)
	}
	page := `<html><body><div class="header"><h1>My blog</h1></div><div class="post"><h3>A day out</h3>
<div class="post-body">` + run("First run") + `<br><br>` + run("Second run") + `<br>` + run("Same paragraph") +
		`<br><br><br><b>A subheading</b><br><br><table><tr><td><img src="/a.jpg"></td></tr></table>` +
		run("After the table") + `<br><br><ul><li>One item</li><li>Another item</li></ul>` + run("After the list") +
		`<blockquote>We never expected the crowds.</blockquote>` + run("After the quote") + `</div></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	for _, want := range []string{"First run", "Second run", "Same paragraph", "A subheading", "After the table",
		"After the list", "After the quote", "We never expected the crowds."} {
		require.Contains(t, text, want)
	}
	require.NotContains(t, text, "crowds.After", "the run after the quote is its own paragraph")
}
