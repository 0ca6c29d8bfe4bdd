package markdown

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

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

// pageMeta turns the scan's facts into the page's metadata: the publication date
// (JSON-LD first, then meta tags, then a <time itemprop=datePublished>), the canonical URL
// (absolute) and <html lang>.
func pageMeta(f headFacts, base *url.URL) domain.PageMeta {
	m := domain.PageMeta{Lang: f.lang}
	if abs, ok := resolve(base, f.canonical); ok {
		m.CanonicalURL = abs
	}
	candidates := []string{f.jsonLDDate}
	for _, k := range publishedMetaKeys {
		candidates = append(candidates, f.metas[k])
	}
	candidates = append(candidates, f.timeItem)
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
