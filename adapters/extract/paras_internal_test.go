package extract

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

func TestParagraphsStructure(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Runs at double <br>s and around blocks; a single <br> stays; the breaks go.
		{`<div>a<br>b<br><br>c<br> <br><br><table><tr><td>t</td></tr></table>d <i>e</i><ul><li>l</li></ul>f</div>`,
			`<div><p>a<br/>b</p><p>c</p><table><tbody><tr><td>t</td></tr></tbody></table><p>d <i>e</i></p><ul><li>l</li></ul><p>f</p></div>`},
		// Written in paragraphs, or no text of its own: unchanged.
		{`<div><p>a</p><p>b</p></div>`, `<div><p>a</p><p>b</p></div>`},
		{`<div>a<br>b</div>`, `<div>a<br/>b</div>`},
		{`<div><img src="x"/><br/><br/><p>b</p></div>`, `<div><img src="x"/><br/><br/><p>b</p></div>`},
		// Scripts stay where they are, outside the paragraphs.
		{`<div>a<script>s()</script>b<br><br>c</div>`, `<div><p>a</p><script>s()</script><p>b</p><p>c</p></div>`},
	} {
		doc, err := html.Parse(strings.NewReader("<html><body>" + c.in + "</body></html>"))
		require.NoError(t, err)
		paragraphs(doc)
		var b strings.Builder
		body := doc.FirstChild.LastChild
		for n := body.FirstChild; n != nil; n = n.NextSibling {
			require.NoError(t, html.Render(&b, n))
		}
		require.Equal(t, c.want, b.String(), c.in)
	}
}

func TestParagraphsLongAndDeep(t *testing.T) {
	// Many runs in one block, and blocks nested as deep as the parser allows: every run is
	// a paragraph, and nothing panics.
	doc, err := html.Parse(strings.NewReader("<div>" + strings.Repeat("x<br><br>", 20000) + "</div>" +
		strings.Repeat("<div>y<br><br>", 500)))
	require.NoError(t, err)
	paragraphs(doc)
	ps := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Data == "p" {
				ps++
			}
			walk(c)
		}
	}
	walk(doc)
	require.Equal(t, 20000+500, ps)
}
