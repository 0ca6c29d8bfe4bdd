package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// News and magazine pages put the article's lead sentence (the dek, standfirst or
// subtitle) in the article's header, between the headline and the byline, and the body in
// a container of its own. Trafilatura goes straight to a body container it recognises
// (itemprop="articleBody", "article-body") and leaves the lead out, although it is part
// of the article. findLede finds the lead: the first element after the page's first <h1>
// whose class, id or aria words name a lead in the vocabularies of common CMSs, holding
// between minLedeRunes and maxLedeRunes of text and no block of its own, with at most
// maxLedeGap runes of visible text (kicker, byline, date) between the headline and it.
// A <p>, <h2> or <h3> in the same place whose text is the page's description (meta
// description or og:description) word for word is the lead too, whatever its name.
// withLede puts the lead before an article that does not hold it already.
const (
	minLedeRunes = 30
	maxLedeRunes = 600
	maxLedeGap   = 300
)

// ledeWords name a lead. Left out: "description" and "tagline" (a blog's own motto under
// its name, which Blogger and WordPress themes put in the header's <h1>), "subhead" (the
// subheadings inside a body), "teaser" (cards of other stories).
var ledeWords = map[string]bool{
	"dek": true, "deck": true, "standfirst": true, "subtitle": true, "subheadline": true,
	"lede": true, "lead": true, "summary": true, "excerpt": true, "intro": true, "strapline": true,
	"abstract": true, "subhed": true,
}

// ledeTags are the elements a lead is written in.
var ledeTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.Span: true,
}

// findLede returns the text of the article's lead as described above, or ""; desc is the
// page's description. It visits
// each node at most once and stops at the lead or once the gap is passed.
func findLede(doc *html.Node, desc string) string {
	seenH1, gap, done := false, 0, false
	lede := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !done; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if seenH1 {
					if gap += countNonSpace(c.Data); gap > maxLedeGap {
						done = true
					}
				}
			case html.ElementNode:
				if invisible[c.DataAtom] || hidden(c) {
					continue
				}
				if !seenH1 {
					if c.DataAtom == atom.H1 {
						seenH1 = true
						continue
					}
					walk(c)
					continue
				}
				if t, ok := ledeText(c, desc); ok {
					lede, done = t, true
					return
				}
				walk(c)
			}
		}
	}
	walk(doc)
	return lede
}

// ledeText returns n's text when n is a lead by its name, its kind and its size.
func ledeText(n *html.Node, desc string) (string, bool) {
	named := namesLede(n)
	byDesc := !named && desc != "" && (n.DataAtom == atom.P || n.DataAtom == atom.H2 || n.DataAtom == atom.H3)
	if !ledeTags[n.DataAtom] || (!named && !byDesc) {
		return "", false
	}
	// The children first: a nest of named blocks is then turned down at each level
	// without measuring the text below it.
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (paraBlocks[c.DataAtom] || lineBlocks[c.DataAtom] || c.DataAtom == atom.Img) {
			return "", false
		}
	}
	if visibleRunes(n, maxLedeRunes) > maxLedeRunes {
		return "", false
	}
	t := collapse(renderText(n))
	if utf8.RuneCountInString(t) < minLedeRunes || (byDesc && !strings.EqualFold(t, desc)) {
		return "", false
	}
	return t, true
}

func namesLede(n *html.Node) bool {
	for _, w := range classWords(n) {
		if ledeWords[w] {
			return true
		}
	}
	return false
}

// withLede returns text with lede as its first paragraph, unless text holds it already or
// lede repeats the title.
func withLede(text, lede, title string) string {
	if lede == "" || strings.EqualFold(lede, collapse(title)) || strings.Contains(collapse(text), lede) {
		return text
	}
	return lede + "\n\n" + text
}
