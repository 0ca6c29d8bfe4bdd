package markdown

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"taskrunner/domain"
)

// Bounds of the metadata scan: JSON-LD blocks are parsed only up to this size and depth.
const (
	maxJSONLDBytes = 256 << 10
	maxJSONLDDepth = 8
)

// publishedMetaKeys are the <meta name|property|itemprop> keys that carry a publication
// date, the most specific first.
var publishedMetaKeys = []string{
	"article:published_time", "og:published_time", "datepublished", "publish-date", "publishdate",
	"pubdate", "date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.created", "dcterms.date",
	"sailthru.date", "parsely-pub-date", "article.published", "citation_publication_date",
}

// readMeta reads the publication date (JSON-LD first, then meta tags, then a <time
// itemprop=datePublished>), the canonical URL and <html lang>.
func readMeta(doc *html.Node, base *url.URL) domain.PageMeta {
	var m domain.PageMeta
	metas := map[string]string{}
	var jsonLD, timeItem string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Html:
			m.Lang = strings.TrimSpace(attr(n, "lang"))
		case atom.Link:
			if m.CanonicalURL == "" && hasToken(attr(n, "rel"), "canonical") {
				if abs, ok := resolve(base, attr(n, "href")); ok {
					m.CanonicalURL = abs
				}
			}
		case atom.Meta:
			key := strings.ToLower(strings.TrimSpace(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop"))))
			if _, ok := metas[key]; !ok && key != "" {
				metas[key] = attr(n, "content")
			}
		case atom.Script:
			if jsonLD == "" && strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
				if d := jsonLDDate(n.FirstChild.Data); d != "" {
					jsonLD = d
				}
			}
			return false
		case atom.Time:
			if timeItem == "" && strings.EqualFold(attr(n, "itemprop"), "datePublished") {
				timeItem = attr(n, "datetime")
			}
		}
		return true
	})
	candidates := []string{jsonLD}
	for _, k := range publishedMetaKeys {
		candidates = append(candidates, metas[k])
	}
	candidates = append(candidates, timeItem)
	for _, c := range candidates {
		if t, ok := parseDate(c); ok {
			m.PublishedAt = t.UTC().Format(time.RFC3339)
			break
		}
	}
	return m
}

func hasToken(list, token string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, token) {
			return true
		}
	}
	return false
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// jsonLDDate finds the first datePublished in a JSON-LD block: in the object, an array of
// objects, or an @graph, nested at most maxJSONLDDepth deep.
func jsonLDDate(block string) string {
	if len(block) > maxJSONLDBytes {
		return ""
	}
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(block)), &v) != nil {
		return ""
	}
	return findDatePublished(v, 0)
}

func findDatePublished(v any, depth int) string {
	if depth > maxJSONLDDepth {
		return ""
	}
	switch x := v.(type) {
	case map[string]any:
		if s, ok := x["datePublished"].(string); ok && strings.TrimSpace(s) != "" {
			return s
		}
		for _, key := range []string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if d := findDatePublished(x[key], depth+1); d != "" {
				return d
			}
		}
	case []any:
		for _, e := range x {
			if d := findDatePublished(e, depth+1); d != "" {
				return d
			}
		}
	}
	return ""
}

// dateLayouts are the forms publication dates come in, most precise first.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/01/02", "20060102",
	time.RFC1123Z, time.RFC1123, time.RFC850, "January 2, 2006", "Jan 2, 2006", "2 January 2006",
}

// parseDate reads a date in one of dateLayouts; a date without a zone is taken as UTC.
// Dates before 1990 or more than a day in the future are no publication dates.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.After(time.Now().Add(24*time.Hour)) {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}
