package extract

import "golang.org/x/net/html"

// These bound the documents given to the article extractors, whose cost grows faster than
// the page: 200,000 elements take them seconds; 27,000 elements of ten attributes each
// (300,000 nodes) 2.5 s and 250 MB; 4 MB of prose 12 s and 280 MB, 8 MB 34 s and 520 MB;
// while 100,000 nodes or 1 MB of prose take at most about 0.8 s and 130 MB. Real articles
// stay far below them: on go-trafilatura's 945-page comparison set the largest page has
// about 10,000 elements, the median about 700, and a whole novel is under 1 MB of text.
// Larger documents get the visible text, which is linear and cheap. Nodes are counted as
// for maxParseNodes (elements, text runs, comments, attributes); script and style
// contents are not text here, since the extractors drop them first.
const (
	maxArticleElements  = 50_000
	maxArticleNodes     = 150_000
	maxArticleTextBytes = 1 << 20
)

// docSize is what the article extractors' cost depends on.
type docSize struct {
	elements  int
	nodes     int // elements, text runs, comments and attributes
	textBytes int // text outside invisible elements (scripts, styles, templates, ...)
}

func (s docSize) tooLarge() bool {
	return s.elements > maxArticleElements || s.nodes > maxArticleNodes || s.textBytes > maxArticleTextBytes
}

// measure sizes the document under n, stopping once it is tooLarge.
func measure(n *html.Node) docSize {
	var s docSize
	var walk func(n *html.Node, shown bool)
	walk = func(n *html.Node, shown bool) {
		for c := n.FirstChild; c != nil && !s.tooLarge(); c = c.NextSibling {
			s.nodes++
			switch c.Type {
			case html.ElementNode:
				s.elements++
				s.nodes += len(c.Attr)
				walk(c, shown && !invisible[c.DataAtom])
			case html.TextNode:
				if shown {
					s.textBytes += len(c.Data)
				}
			}
		}
	}
	walk(n, true)
	return s
}
