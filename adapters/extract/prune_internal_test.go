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
