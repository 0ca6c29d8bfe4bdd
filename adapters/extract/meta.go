package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// headMeta is what a page says about itself in its markup, the last resort for metadata
// and the only source in raw mode (which skips the article extractors).
type headMeta struct {
	title, description, author, siteName, lang string
}

func readHeadMeta(doc *html.Node) headMeta {
	var m headMeta
	var ogTitle string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if m.lang == "" {
					m.lang = strings.TrimSpace(attr(n, "lang"))
				}
			case atom.Title:
				if m.title == "" {
					m.title = collapse(textOf(n))
				}
			case atom.Meta:
				key := strings.ToLower(attr(n, "name"))
				if key == "" {
					key = strings.ToLower(attr(n, "property"))
				}
				val := collapse(attr(n, "content"))
				switch key {
				case "description", "og:description":
					if m.description == "" {
						m.description = val
					}
				case "author", "article:author", "dc.creator":
					if m.author == "" {
						m.author = val
					}
				case "og:site_name", "application-name":
					if m.siteName == "" {
						m.siteName = val
					}
				case "og:title":
					ogTitle = val
				}
				if strings.EqualFold(attr(n, "http-equiv"), "content-language") && m.lang == "" {
					m.lang = strings.TrimSpace(strings.Split(attr(n, "content"), ",")[0])
				}
			case atom.Body:
				// Metadata lives in <head>; most pages' bodies are far larger, so stop here.
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if m.title == "" {
		m.title = ogTitle
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstNonEmpty returns the first argument that is not blank.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
