package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// breakKind is the separation a block boundary asks for.
type breakKind int

const (
	noBreak   breakKind = iota
	lineBreak           // list items, table rows, <br>
	paraBreak           // paragraphs, headings and other blocks: a blank line
)

// invisible elements hold no text a reader sees.
var invisible = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true, atom.Svg: true,
	atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Canvas: true,
	atom.Audio: true, atom.Video: true, atom.Select: true, atom.Datalist: true, atom.Button: true,
	atom.Input: true, atom.Textarea: true, atom.Img: true, atom.Picture: true, atom.Source: true,
	atom.Track: true, atom.Map: true, atom.Area: true, atom.Param: true, atom.Dialog: true,
}

// visible reports whether the element n may show text (see invisible).
func visible(n *html.Node) bool { return !invisible[n.DataAtom] }

// lineBlocks end a line; paraBlocks end a paragraph.
var (
	lineBlocks = map[atom.Atom]bool{
		atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Tr: true, atom.Option: true,
		atom.Caption: true, atom.Figcaption: true, atom.Summary: true, atom.Legend: true,
	}
	paraBlocks = map[atom.Atom]bool{
		atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
		atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true, atom.Ul: true,
		atom.Ol: true, atom.Dl: true, atom.Table: true, atom.Section: true, atom.Article: true,
		atom.Aside: true, atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Main: true,
		atom.Address: true, atom.Figure: true, atom.Form: true, atom.Fieldset: true,
		atom.Details: true, atom.Hr: true, atom.Hgroup: true, atom.Menu: true, atom.Center: true,
		atom.Body: true, atom.Html: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	}
)

// renderText returns the visible text under n: whitespace collapsed as a browser does,
// <pre> kept verbatim, a newline after lines (list items, rows, <br>), a blank line between
// paragraphs and other blocks, a tab between table cells.
func renderText(n *html.Node) string {
	var w textWriter
	w.node(n)
	return strings.TrimSpace(w.b.String())
}

type textWriter struct {
	b       strings.Builder
	pending breakKind // separation owed before the next text
	space   bool      // a collapsed space is owed before the next text
	pre     int       // depth inside <pre>
	cell    bool      // a cell separator is owed before the next text in this row
}

func (w *textWriter) brk(k breakKind) {
	if k > w.pending {
		w.pending = k
	}
	w.space = false
	w.cell = false
}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.DocumentNode:
		w.children(n)
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	a := n.DataAtom
	if a == 0 {
		// Elements built by the extractors rather than the parser carry only their name.
		// Among them, "head" is trafilatura's heading element, not the document head.
		if a = atom.Lookup([]byte(n.Data)); a == atom.Head {
			a = atom.H2
		}
	}
	if invisible[a] || hidden(n) {
		return
	}
	switch {
	case a == atom.Br:
		w.brk(lineBreak)
		return
	case a == atom.Td || a == atom.Th:
		if w.b.Len() > 0 && w.pending == noBreak {
			w.cell = true
		}
		w.children(n)
		return
	case a == atom.Pre:
		w.brk(paraBreak)
		w.pre++
		w.children(n)
		w.pre--
		w.brk(paraBreak)
		return
	case paraBlocks[a]:
		w.brk(paraBreak)
		w.children(n)
		w.brk(paraBreak)
		return
	case lineBlocks[a]:
		w.brk(lineBreak)
		w.children(n)
		w.brk(lineBreak)
		return
	}
	w.children(n)
}

func (w *textWriter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		if s == "" {
			return
		}
		w.flush()
		w.b.WriteString(s)
		return
	}
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) {
			j := size
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += sz
			}
			w.space = true
			s = s[j:]
			continue
		}
		j := size
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r2) {
				break
			}
			j += sz
		}
		w.flush()
		w.b.WriteString(s[:j])
		s = s[j:]
	}
}

// flush writes the separation owed before a run of text.
func (w *textWriter) flush() {
	if w.b.Len() == 0 {
		w.pending, w.space, w.cell = noBreak, false, false
		return
	}
	switch {
	case w.pending == paraBreak:
		w.b.WriteString("\n\n")
	case w.pending == lineBreak:
		w.b.WriteByte('\n')
	case w.cell:
		w.b.WriteByte('\t')
	case w.space:
		w.b.WriteByte(' ')
	}
	w.pending, w.space, w.cell = noBreak, false, false
}

// hidden reports elements the page hides from every reader.
func hidden(n *html.Node) bool {
	if hiddenByPage(n) {
		return true
	}
	for _, a := range n.Attr {
		if a.Key == "aria-hidden" && strings.EqualFold(strings.TrimSpace(a.Val), "true") {
			return true
		}
	}
	return false
}

// hiddenByPage reports elements the page does not show: the hidden attribute, an inline
// display:none or visibility:hidden.
func hiddenByPage(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			v := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}
