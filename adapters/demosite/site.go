// Package demosite is the offline web site behind the demo search source: in memory mode
// it answers fetches of https://demo.taskrunner.invalid/... (the URLs the demo provider
// returns) with deterministic article pages, and hands every other URL to the real page
// fetcher. So `make run` and a research over the demo source read pages end to end with no
// network. It is a ports.PageFetcher wrapped around another, chosen by bootstrap in memory
// mode only; the web fetcher knows nothing of it.
package demosite

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"

	"taskrunner/domain"
	"taskrunner/ports"
)

var _ ports.PageFetcher = (*Site)(nil)

// Host is the site's host: the host of every URL the demo search source returns
// (adapters/Host; bootstrap's tests check the two agree).
const Host = "demo.taskrunner.invalid"

// Site serves the demo host and passes everything else to next.
type Site struct {
	next ports.PageFetcher
}

// New returns the site in front of next.
func New(next ports.PageFetcher) *Site { return &Site{next: next} }

// articlePath is the path shape of the demo provider's URLs: /<slug>/<rank>-<6 hex>.
var articlePath = regexp.MustCompile(`^/([a-z0-9-]{1,64})/([0-9]{1,2})-([0-9a-f]{6})$`)

// Fetch answers a demo URL itself: an article page for the provider's path shape, a
// robots.txt that allows everything, and 404 (fetch_failed, not retryable, as the web
// fetcher reports one) for any other path. Other hosts go to the wrapped fetcher.
func (s *Site) Fetch(ctx context.Context, r domain.FetchRequest) (domain.Page, error) {
	u, err := url.Parse(r.URL)
	if err != nil || !strings.EqualFold(u.Hostname(), Host) {
		return s.next.Fetch(ctx, r)
	}
	if err := ctx.Err(); err != nil {
		return domain.Page{}, domain.NewError(domain.CodeFetchFailed, "the fetch was cancelled").WithCause(err).Transient()
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return domain.Page{}, domain.NewError(domain.CodeFetchBlocked, "only http and https URLs may be fetched")
	}
	var body, ctype string
	switch m := articlePath.FindStringSubmatch(u.EscapedPath()); {
	case u.Path == "/robots.txt":
		body, ctype = "User-agent: *\nAllow: /\n", "text/plain"
	case m != nil:
		body, ctype = article(m[1], m[2], m[3]), "text/html"
	default:
		return domain.Page{}, domain.NewError(domain.CodeFetchFailed, "the server answered 404").WithDetail("status", 404)
	}
	if r.MaxBytes > 0 && int64(len(body)) > r.MaxBytes {
		return domain.Page{}, domain.NewError(domain.CodeArtifactSizeExceeded, "the page is larger than %d bytes", r.MaxBytes)
	}
	return domain.Page{URL: r.URL, FinalURL: u.String(), StatusCode: 200, ContentType: ctype, Charset: "utf-8",
		Body: []byte(body), Text: body}, nil
}

// Sentences the articles are made of; %s is the topic.
var sentences = []string{
	"This offline demo page is about %s and is generated from its address alone.",
	"Teams that look into %s usually start with a small experiment and measure it.",
	"The main trade-off with %s is between simplicity now and flexibility later.",
	"Most write-ups on %s skip the failure cases, which matter most in production.",
	"A good first step with %s is to read the documentation end to end.",
	"Benchmarks of %s vary widely with the workload, so repeat them on your own data.",
	"Nothing on this page comes from the network: it is part of taskrunner's demo site.",
	"Questions about %s come up often; the answers depend on scale and budget.",
}

var authors = []string{"Ada Example", "Grace Sample", "Alan Placeholder", "Edsger Demo"}

// article renders the page at /<slug>/<rank>-<hex>: a title, a byline, a date and a few
// paragraphs, all chosen from a hash of the path.
func article(slug, rank, hex string) string {
	topic := strings.ReplaceAll(slug, "-", " ")
	seed := sha256.Sum256([]byte(slug + "/" + rank + "-" + hex))
	pick := func(i int) int { return int(binary.BigEndian.Uint16(seed[2*i:]) & 0x7fff) }
	title := fmt.Sprintf("%s, part %s", strings.ToUpper(topic[:1])+topic[1:], rank)
	author := authors[pick(0)%len(authors)]
	date := fmt.Sprintf("2024-%02d-%02d", 1+pick(1)%12, 1+pick(2)%28)
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>", esc(title))
	fmt.Fprintf(&b, "<meta name=\"author\" content=\"%s\"><meta property=\"article:published_time\" content=\"%sT09:00:00Z\">", esc(author), date)
	b.WriteString("</head><body><nav><a href=\"/\">Demo site</a></nav><article>")
	fmt.Fprintf(&b, "<h1>%s</h1><p class=\"byline\">By %s, %s</p>", esc(title), esc(author), date)
	for p := range 4 {
		b.WriteString("<p>")
		for k := range 3 {
			b.WriteString(strings.ReplaceAll(sentences[(pick(3+p)+k)%len(sentences)], "%s", esc(topic)) + " ")
		}
		b.WriteString("</p>")
	}
	b.WriteString("</article><footer>taskrunner offline demo</footer></body></html>")
	return b.String()
}
