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

func TestLedeBeforeTheBody(t *testing.T) {
	// A news page: the standfirst sits in the article's header, the body in its own
	// container that trafilatura picks directly.
	body := strings.Repeat("<p>Officials published a draft of the redesigned bus network on Tuesday, with twelve core routes every ten minutes.</p>", 6)
	page := `<html><body><header class="site"><h2 class="tagline">News for the valley</h2></header><main><article>
<header><h1>City unveils a simpler bus map</h1><div class="byline">By Grace Lindahl | March 12, 2024</div>
<p class="article-standfirst">The plan cuts the number of routes from 41 to 26 but promises frequent buses.</p></header>
<div class="article-body" itemprop="articleBody">` + body + `</div>
<aside><h3>More stories</h3><p class="card-excerpt">Another story's excerpt, which is not this article's lead at all.</p></aside>
</article></main></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.True(t, strings.HasPrefix(text, "The plan cuts the number of routes"), text)
	require.Equal(t, 1, strings.Count(text, "The plan cuts"))
	require.NotContains(t, text, "Another story's excerpt")
}

func TestLedeMatchingTheDescription(t *testing.T) {
	// No class names the lead, but the page's description repeats it word for word.
	body := strings.Repeat("<p>Officials published a draft of the redesigned bus network on Tuesday, with twelve core routes every ten minutes.</p>", 6)
	lead := "The plan cuts the number of routes from 41 to 26 but promises frequent buses."
	page := `<html><head><meta name="description" content="` + lead + `"></head><body><main><article>
<div class="top"><h1>City unveils a simpler bus map</h1><p class="x1">` + lead + `</p><div class="byline">By Grace Lindahl</div></div>
<div class="article-body" itemprop="articleBody">` + body + `</div></article></main></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.True(t, strings.HasPrefix(text, lead), text)
	require.Equal(t, 1, strings.Count(text, "The plan cuts"))
}

func TestLeadInItsOwnDiv(t *testing.T) {
	// A news template: the first paragraph in a <div> of its own, the body's paragraphs as
	// text runs in the next one. A text-only <div> with no body after it stays out.
	run := "The visitors scored twice in the second half and held on through a long spell of pressure. "
	page := `<html><body><div class="nav"><a href="/">Home</a></div><div id="article"><h1>Sale beat Leeds</h1>
<div class="ds-firstpara">Lee Thomas helped himself to two tries as Sale claimed a 34-20 victory over bottom placed Leeds at Headingley on a cold Sunday afternoon.</div>
<div class="va-bodytext">` + strings.Repeat(run, 3) + `<br><br>` + strings.Repeat(run, 3) + `<br><br>` + strings.Repeat(run, 3) + `</div>
<div class="promo">Subscribers can read every match report from this season and the last in our online archive today.</div>
</div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.True(t, strings.HasPrefix(text, "Lee Thomas helped himself to two tries"), text)
	require.NotContains(t, text, "Subscribers can read")
}

func TestParagraphHoldingTheStoryTable(t *testing.T) {
	// An old table-laid news page without a doctype (quirks mode): a <p> opened before the
	// table that holds the story is not closed by it, so the story's paragraphs sit
	// inside that <p>. The story must come out once, its paragraphs apart.
	paras := []string{
		"Six walkers were rescued from the ridge on Sunday after the weather closed in faster than forecast.",
		"The mountain rescue team said the group had turned back in time but lost the path in thick cloud near the summit cairn.",
		"A spokesman said all six were cold but unhurt and thanked the volunteers who climbed through the night to reach them.",
		"The team has asked walkers to check the forecast before setting out and to carry a map and compass as well as a phone.",
	}
	body := ""
	for _, p := range paras {
		body += `<p class="story">` + p + `</p>`
	}
	page := `<html><head><title>Walkers rescued</title></head><body><table><tr><td class="nav"><a href="/">Home</a> <a href="/news">News</a></td>
<td><p><font class="headline">Walkers rescued from ridge</font><table><tr><td><p class="date">13:30, Jan 10 2008<br></td></tr></table>
<table><tr><td>` + body + `</td></tr></table></td></tr></table></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	for _, p := range paras {
		require.Equal(t, 1, strings.Count(text, p), text)
	}
	require.NotContains(t, text, "ridge13:30", "the headline and the date are not glued")
}
