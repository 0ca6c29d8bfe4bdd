package extract

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// prune asks tagBlock of every element, so its walk must stop: a short block that nests
// more than maxMeasureNodes elements is given up on, not walked whole. The filler sits in
// an <svg>, which visibleRunes does not enter (it shows no text), so only the walk's own
// bound can stop it.
func TestTagBlockWalkIsBounded(t *testing.T) {
	tags := `Tags: <a rel="tag" href="/t/a">Coast</a>, <a rel="tag" href="/t/b">Forts</a>`
	block := func(filler int) *html.Node {
		doc, err := html.Parse(strings.NewReader(`<html><body><p id="b">` + tags +
			"<svg>" + strings.Repeat("<g></g>", filler) + `</svg></p></body></html>`))
		require.NoError(t, err)
		var find func(n *html.Node) *html.Node
		find = func(n *html.Node) *html.Node {
			if attr(n, "id") == "b" {
				return n
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if f := find(c); f != nil {
					return f
				}
			}
			return nil
		}
		return find(doc)
	}
	require.True(t, tagBlock(block(10)))
	require.False(t, tagBlock(block(maxMeasureNodes+10)))
}

// prune takes out the menus a table-laid page sets in its layout cells (td id="menu", one
// link a paragraph), a list named a menu, a list of categories and a sponsors' box, and keeps a wrapper named a menu that holds
// prose, and the article's column whatever its other names.
func TestPruneMenus(t *testing.T) {
	story := strings.Repeat("The lifeboat crew brought the fishing boat back to harbour after its engine failed. ", 6)
	page := `<html><body><table><tr><td><table class="LeftNav"><tr><td valign="top" id="menu">
<p class="MenuItem"><a href="/local">Local news</a></p><p class="MenuItem"><a href="/sport">Harbour sport</a></p></td></tr></table>
<ul class="hub-menu"><li><a href="/a">Advertise with us</a></li><li><a href="/j">Work for us</a></li></ul></td>
<div id="categories"><h3>Categories</h3><ul><li><a href="/c/boats">Boats</a></li><li><a href="/c/tides">Tides</a></li></ul></div>
<div class="sponsors"><a href="/s1">Harbour Chandlery</a> <a href="/s2">Quay Cafe</a></div>
<td><div class="menu-wrapper"><p>` + story + `</p></div><div class="content menu-aware"><p>Short teaser of the story.</p></div></td></tr></table></body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err)
	prune(doc)
	text := renderText(doc)
	require.Contains(t, text, "The lifeboat crew brought")
	require.Contains(t, text, "Short teaser of the story.")
	for _, gone := range []string{"Local news", "Harbour sport", "Advertise with us", "Work for us", "Tides", "Quay Cafe"} {
		require.NotContains(t, text, gone)
	}
}
