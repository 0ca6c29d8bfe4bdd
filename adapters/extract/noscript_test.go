package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A <noscript> is raw text to the parser; its markup must never reach the article as text.
func TestNoscriptMarkupNeverText(t *testing.T) {
	body := strings.Repeat("The council voted on the barrier after a long debate about its cost and its design. ", 6)
	page := `<html><body><article><h1>Flood barrier approved</h1>
<p>` + body + `</p>
<noscript><img src="http://pixel.example.com/p.gif" width="1" height="1" alt="tracker"/></noscript>
<p>` + body + `<noscript><a href="/nojs">Enable scripts to see the map</a></noscript></p>
<noscript>&lt;div&gt;&lt;img src="http://pixel.example.com/q.gif"&gt;&lt;/div&gt; ` + body + `</noscript>
<p>` + body + `</p>
</article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The council voted")
	for _, gone := range []string{"<img", "<a href", "<div", "pixel.example.com", "Enable scripts"} {
		require.NotContains(t, text, gone)
	}
}

// A short report in a table layout, which only the visible-text fallback reads, with
// banner ads in <noscript> between its lines (the L3S news page d588964c): the fallback
// read the banners' markup as text.
func TestNoscriptMarkupNeverTextInFallback(t *testing.T) {
	ad := `<script type="text/javascript">document.write('<scr'+'ipt src="http://ads.example.com/addyn"></scr'+'ipt>');</script>` +
		`<noscript><a href="http://ads.example.com/adlink|3.0|512" target="_blank"><img src="http://ads.example.com/adserv|3.0|512" border="0" width="468" height="60" alt="Click here"></a></noscript>`
	page := `<html><body><table><tr><td>` + ad + `<a href="/">Home</a> <a href="/football">Football</a> <a href="/rugby">Rugby</a></td></tr>
<tr><td><b>Dowling set for absence</b> 2007-12-30<br>Munster star Ian Dowling is set to spend a spell on the sidelines after a knee injury.
The winger could face up to eight weeks out.` + ad + ` He had to be stretchered off after 76 minutes and will miss the next two games.` + ad + `</td></tr></table></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "stretchered off")
	for _, gone := range []string{"<img", "<a href", "ads.example.com"} {
		require.NotContains(t, text, gone)
	}
}

// A page whose article's only readable copy is in a <noscript> (Blogger renders the post
// from a script template) keeps it.
func TestNoscriptArticleKept(t *testing.T) {
	body := strings.Repeat("Attackers used a forged certificate to intercept the traffic of several sites. ", 8)
	page := `<html><body><div class="post"><h3>Protecting users</h3>
<script type="text/template"><p>` + body + `</p></script>
<noscript><div class="post-body"><p>` + body + `</p><p>Second paragraph of the post, with more detail.</p></div></noscript>
</div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "Attackers used a forged certificate")
	require.NotContains(t, text, "<p>")
}
