package markdown

import (
	"context"
	"strings"

	"golang.org/x/net/html"
)

// maxNodes bounds what reaches the HTML parser, counted as the nodes and attributes the
// parser would build: the parse cannot be interrupted, and its cost follows the node
// count rather than the byte size (24 MB of "<p>x" is 12 million nodes). A page past it
// is rendered up to the token that reaches it. Ordinary pages hold a few thousand.
const maxNodes = 300_000

// ctxEvery is how many tokens the scan reads between context checks.
const ctxEvery = 16_384

// headFacts are what the scan collects for the metadata, raw: resolved and parsed later.
type headFacts struct {
	lang, canonical, baseHref, jsonLDDate, timeItem string
	metas                                           map[string]string // first content per key
	elements                                        int               // start tags within the cut
}

// scan reads the page with the tokenizer alone (a few kilobytes, a fraction of a parse):
// it returns the length of the prefix within maxNodes and the head facts found in it. It
// stops with ctx's error when ctx ends.
func scan(ctx context.Context, page string) (cut int, f headFacts, err error) {
	f.metas = map[string]string{}
	z := html.NewTokenizer(strings.NewReader(page))
	nodes, offset := 0, 0
	inJSONLD := false
	for tokens := 1; ; tokens++ {
		if tokens%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return 0, headFacts{}, err
			}
		}
		tt := z.Next()
		if tt == html.ErrorToken { // io.EOF: a strings.Reader has no other error
			return len(page), f, nil
		}
		size := len(z.Raw())
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			attrs := map[string]string{}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				nodes++
				if _, dup := attrs[string(k)]; !dup && len(attrs) < 32 {
					attrs[string(k)] = string(v)
				}
			}
			inJSONLD = string(name) == "script" && strings.EqualFold(strings.TrimSpace(attrs["type"]), "application/ld+json")
			f.noteTag(string(name), attrs)
			f.elements++
			nodes++
		case html.TextToken:
			if inJSONLD && f.jsonLDDate == "" {
				f.jsonLDDate = jsonLDDate(string(z.Text()))
			}
			nodes++
		case html.EndTagToken:
			inJSONLD = false
		case html.CommentToken, html.DoctypeToken:
			nodes++
		}
		if nodes > maxNodes {
			return offset, f, nil
		}
		offset += size
	}
}

// noteTag keeps what a start tag says about the page.
func (f *headFacts) noteTag(name string, attrs map[string]string) {
	switch name {
	case "html":
		if f.lang == "" {
			f.lang = strings.TrimSpace(attrs["lang"])
		}
	case "base":
		if f.baseHref == "" {
			f.baseHref = strings.TrimSpace(attrs["href"])
		}
	case "link":
		if f.canonical == "" && hasToken(attrs["rel"], "canonical") {
			f.canonical = strings.TrimSpace(attrs["href"])
		}
	case "meta":
		key := strings.ToLower(strings.TrimSpace(firstNonEmpty(attrs["property"], attrs["name"], attrs["itemprop"])))
		if _, seen := f.metas[key]; key != "" && !seen && len(f.metas) < 512 {
			f.metas[key] = attrs["content"]
		}
	case "time":
		if f.timeItem == "" && strings.EqualFold(attrs["itemprop"], "datePublished") {
			f.timeItem = attrs["datetime"]
		}
	}
}
