package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The parser reads a page as a browser that runs scripts does, so a <noscript> holds its
// markup as one run of raw text ("<img src=... />"). Trafilatura drops <noscript> with what
// it holds, but its fallbacks and readability's do not always, and then the markup reaches
// the article as literal text (tracking pixels, "<a href=...>" in L3S and Dragnet pages).
// Some pages, though, give their article's only readable copy there: Blogger's newer
// templates render the post from a script template and set its HTML in a <noscript> as
// well (go-trafilatura's comparison page security.googleblog.com). unwrapNoscripts
// therefore parses each <noscript> of the body as a browser without scripts would, and
// puts what it holds in its place when that is text a reader would see at some length
// (minNoscriptRunes: an article, not a pixel or an "enable JavaScript" notice); else it
// removes it. The work is bounded: a <noscript> longer than maxNoscriptBytes is removed
// unparsed, and all parses together read at most maxParseNodes bytes (each node takes at
// least one byte, so they build no more nodes than the page's own bound allows).
func unwrapNoscripts(doc *html.Node) {
	found := takeElements(doc, func(c *html.Node) bool { return c.DataAtom == atom.Noscript },
		func(c *html.Node) bool { return !noscriptFree[c.DataAtom] })
	budget := maxParseNodes
	for _, n := range found {
		raw := rawText(n)
		var nodes []*html.Node
		if len(raw) <= maxNoscriptBytes && len(raw) <= budget {
			budget -= len(raw)
			nodes = noscriptNodes(n, raw)
		}
		for _, c := range nodes {
			n.Parent.InsertBefore(c, n)
		}
		n.Parent.RemoveChild(n)
	}
}

// noscriptFree are the elements whose content holds no <noscript> of the page's body.
var noscriptFree = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Template: true, atom.Svg: true, atom.Math: true,
}

// minNoscriptRunes and maxNoscriptBytes: see unwrapNoscripts.
const (
	minNoscriptRunes = 200
	maxNoscriptBytes = 256 << 10
)

// noscriptNodes parses raw, the text of the <noscript> n, in n's parent's context, and
// returns the nodes when they hold at least minNoscriptRunes of visible text; else nil.
func noscriptNodes(n *html.Node, raw string) []*html.Node {
	ctx := n.Parent
	if ctx == nil || ctx.Type != html.ElementNode {
		ctx = &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	}
	nodes, err := html.ParseFragment(strings.NewReader(raw), ctx)
	if err != nil {
		return nil
	}
	holder := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, c := range nodes {
		holder.AppendChild(c)
	}
	if visibleRunes(holder, minNoscriptRunes) < minNoscriptRunes || markupText(holder) {
		return nil
	}
	for c := holder.FirstChild; c != nil; c = holder.FirstChild {
		holder.RemoveChild(c)
	}
	return nodes
}

// markupText reports whether the text under n holds a tag: the <noscript> held its markup
// escaped (yahoo.co.jp's "&lt;div&gt;&lt;img ...&gt;" pixels, an "&lt;object&gt;" player),
// which parses to text that is markup still. The walk is bounded by maxMeasureNodes.
func markupText(n *html.Node) bool {
	found, exhausted := findWithin(n,
		func(c *html.Node) bool { return c.Type == html.ElementNode && !visible(c) },
		func(c *html.Node) bool { return c.Type == html.TextNode && tagRe.MatchString(c.Data) })
	return found || exhausted // too large to tell: not kept
}

// tagRe matches the start of a tag in text.
var tagRe = regexp.MustCompile(`<(/?[a-zA-Z][a-zA-Z0-9]*[\s/>]|!--)`)

// rawText is the text a <noscript> holds as the parser read it.
func rawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
