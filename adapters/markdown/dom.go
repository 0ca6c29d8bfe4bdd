package markdown

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
}

// walk visits n and its descendants depth first, iteratively (pages nest deeply); visit
// returns false to skip a node's children.
func walk(n *html.Node, visit func(*html.Node) bool) {
	stack := []*html.Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !visit(cur) {
			continue
		}
		for c := cur.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

// baseURL is the page URL, or the page's <base href> resolved against it.
func baseURL(baseHref, pageURL string) *url.URL {
	u, err := url.Parse(pageURL)
	if err != nil {
		u = &url.URL{}
	}
	if baseHref != "" {
		if b, err := u.Parse(baseHref); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
			return b
		}
	}
	return u
}

// resolve makes ref absolute against base; ok is false for what is no web link
// (javascript:, mailto:, a bare fragment, an unparsable reference).
func resolve(base *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return "", false
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

// absolutize rewrites the href and src of root's links and images to absolute URLs.
func absolutize(root *html.Node, base *url.URL) {
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		for _, key := range []string{"href", "src"} {
			if v := attr(n, key); v != "" && !strings.HasPrefix(strings.TrimSpace(v), "#") {
				if abs, ok := resolve(base, v); ok {
					setAttr(n, key, abs)
				}
			}
		}
		return true
	})
}

// bodyOf is the <body> element, or doc when there is none.
func bodyOf(doc *html.Node) *html.Node {
	var body *html.Node
	walk(doc, func(n *html.Node) bool {
		if body != nil {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
			return false
		}
		return true
	})
	if body == nil {
		return doc
	}
	return body
}

// dropInvisible removes what a reader never sees from the page rendered whole.
func dropInvisible(root *html.Node) {
	var drop []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Iframe, atom.Object:
				drop = append(drop, n)
				return false
			}
		}
		return true
	})
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// textOf is n's text, whitespace collapsed, stopping after max bytes.
func textOf(n *html.Node, max int) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if b.Len() > max {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteByte(' ')
		}
		return true
	})
	s := strings.Join(strings.Fields(b.String()), " ")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return s
}
