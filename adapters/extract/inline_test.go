package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormattingInListsHeadingsAndQuotes(t *testing.T) {
	// A how-to post: bold labels in list items, a heading and a quote with nested
	// formatting. Each word must stay apart from the next and in its place.
	para := strings.Repeat("<p>The old beds were cleared in spring and the soil was turned twice before any planting began. </p>", 3)
	page := `<html><body><div class="nav"><a href="/">Home</a></div><div class="entry-content">` + para + `
<ol><li><b>Step one:</b> dig the trench</li><li>Lay <em><strong>gravel</strong></em> first</li><li>Add 2 m<sup>3</sup> of soil</li></ol>
<h2><strong>Plant the </strong><em><strong>tall</strong></em><strong> ones last</strong></h2>
<blockquote><p>Water <strong>daily </strong>in June</p></blockquote>
<table><tr><td>Cost <b>per</b> metre</td><td>4 euros</td></tr></table>` + para +
		`<span style="display:none"><li>Hidden <b>text</b></li></span></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	for _, want := range []string{"Step one: dig the trench", "Lay gravel first", "Plant the tall ones last",
		"Water daily in June", "Cost per metre", "Add 2 m3 of soil"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, 1, strings.Count(text, "tall"), "the heading's nested word is not repeated")
	require.NotContains(t, text, "Hidden")
}

func TestFormattingHoldingABlockStays(t *testing.T) {
	// A table-laid page: a floated <span> holds an ad's <div> at the start of the article's
	// cell. Unwrapped, the <div> would stand in the paragraph and the text after it go.
	body := strings.Repeat("The council met on Monday and agreed to repair the bridge over the river before winter. ", 4)
	page := `<html><body><table><tr><td><a href="/">Home</a></td><td valign="top"><div id="printReady"><div id="articleBody">` +
		`<span style="float:right"><div id="ad"></div><script>showAd()</script></span> First sentence of the story stays in. <br><br>` +
		body + `<br><br>` + body + `</div></div></td></tr></table></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "First sentence of the story stays in.")
}
