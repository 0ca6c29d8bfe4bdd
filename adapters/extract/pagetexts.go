package extract

import "golang.org/x/net/html"

// pageTexts is a set of texts read off the page, such as its heading cells' or its
// links', that the text passes ask about a line at a time. It walks the page on the first
// question only: most pages have no line that asks, and the walk would be a pass over
// every page for nothing. The page must not change between questions; the extractors run
// on copies of it. A nil *pageTexts knows no texts.
type pageTexts struct {
	doc   *html.Node
	read  func(*html.Node) map[string]bool // the set, its texts in key's form
	key   func(string) string
	texts map[string]bool
	done  bool
}

// has reports whether line, in key's form, is one of the texts.
func (p *pageTexts) has(line string) bool {
	if p == nil {
		return false
	}
	if !p.done {
		p.texts, p.done = p.read(p.doc), true
	}
	k := p.key(line)
	return k != "" && p.texts[k]
}
