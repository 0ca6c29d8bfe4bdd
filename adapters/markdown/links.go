package markdown

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"taskrunner/domain"
)

// maxLinkTextBytes bounds a link's text; an anchor wrapping a whole card is not a label.
const maxLinkTextBytes = 300

// pageLinks lists every <a href> of the page that leads to a web page: absolute, without
// its fragment, once each (the first non-empty text wins), at most MaxLinks. Internal
// means the page's own host, "www." aside.
// truncated says there were more.
func pageLinks(doc *html.Node, base *url.URL, pageURL string) (links []domain.PageLink, truncated bool) {
	own := hostKey(pageURL)
	links = []domain.PageLink{}
	seen := map[string]int{}
	walk(doc, func(n *html.Node) bool {
		if truncated {
			return false
		}
		if n.Type != html.ElementNode || n.DataAtom != atom.A {
			return true
		}
		abs, ok := resolve(base, attr(n, "href"))
		if !ok || len(abs) > domain.MaxFetchURLLen {
			return true
		}
		if i := strings.IndexByte(abs, '#'); i >= 0 {
			abs = abs[:i]
		}
		text := textOf(n, maxLinkTextBytes)
		if i, dup := seen[abs]; dup {
			if links[i].Text == "" {
				links[i].Text = text
			}
			return false
		}
		if len(links) == MaxLinks {
			truncated = true
			return false
		}
		seen[abs] = len(links)
		links = append(links, domain.PageLink{URL: abs, Text: text, Internal: own != "" && hostKey(abs) == own})
		return false // an anchor inside an anchor is not a link of its own
	})
	return links, truncated
}

// hostKey is a URL's host, lowercased, without a leading "www.".
func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
