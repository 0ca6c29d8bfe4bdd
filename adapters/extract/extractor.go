package extract

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Config configures an Extractor. The zero value is the tuned default.
type Config struct {
	// Log receives extract_panic events (a library panicked; the visible text was used).
	// Nil discards them.
	Log *slog.Logger
}

// Extractor implements ports.Extractor. It is safe for concurrent use.
type Extractor struct {
	log *slog.Logger
}

var _ ports.Extractor = (*Extractor)(nil)

// New returns an Extractor.
func New(cfg Config) *Extractor {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{log: log}
}

// Extract returns the article (reader mode) or the visible text of the whole page. It never
// fails on malformed HTML: a library panic is recovered and the visible text returned. It
// returns ctx's error when ctx ends first.
func (e *Extractor) Extract(ctx context.Context, in domain.ExtractInput) (domain.Extracted, error) {
	if err := ctx.Err(); err != nil {
		return domain.Extracted{}, err
	}
	doc, err := html.Parse(strings.NewReader(in.HTML))
	if err != nil { // only on a reader error, which a strings.Reader never has
		return domain.Extracted{Text: strings.TrimSpace(in.HTML)}, nil
	}
	head := readHeadMeta(doc)
	if !in.ReaderMode {
		return fromHead(head, renderText(doc)), nil
	}
	var out domain.Extracted
	var detectedLang string
	ok := false
	if n := countElements(doc, maxArticleElements+1); n > maxArticleElements {
		e.log.InfoContext(ctx, "extract_skipped", "reason", "too many elements", "elements", n)
	} else {
		type result struct {
			out  domain.Extracted
			lang string
			ok   bool
		}
		// The article extractors take no context; run them aside so that a deadline ends
		// the wait (the work itself is bounded by maxArticleElements).
		done := make(chan result, 1)
		go func() {
			o, l, k := e.article(ctx, doc, pageURL(in.URL))
			done <- result{o, l, k}
		}()
		select {
		case r := <-done:
			out, detectedLang, ok = r.out, r.lang, r.ok
		case <-ctx.Done():
			return domain.Extracted{}, ctx.Err()
		}
	}
	if !ok {
		out.Text = renderText(doc)
	}
	out.Title = firstNonEmpty(out.Title, head.title)
	out.Byline = firstNonEmpty(out.Byline, head.author)
	out.Excerpt = firstNonEmpty(out.Excerpt, head.description)
	out.SiteName = firstNonEmpty(out.SiteName, head.siteName)
	// The page's declared language first; statistical detection only for a real article.
	out.Lang = firstNonEmpty(out.Lang, head.lang, detectedLang)
	return out, nil
}

// maxArticleElements bounds the documents given to the article extractors, whose cost
// grows steeply with the element count (a 200,000-element page takes them seconds). Real
// articles stay far below it: on go-trafilatura's 945-page comparison set the largest page
// has about 10,000 elements, the median about 700. Larger documents get the visible text.
const maxArticleElements = 50000

// countElements counts element nodes under n, stopping once it reaches limit.
func countElements(n *html.Node, limit int) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				count++
			}
			walk(c)
		}
	}
	walk(n)
	return count
}

// minArticleRunes is the length below which an extracted "article" is taken to be no
// article at all. Trafilatura rescues short pages with a baseline that glues the page's
// fragments together (menus, template text); the page's visible text, rendered with its
// block structure, is the better answer there. 250 is trafilatura's own MinExtractedSize.
const minArticleRunes = 250

// article runs readability, then trafilatura with readability's article as its fallback
// candidate. ok is false when neither found an article of minArticleRunes.
func (e *Extractor) article(ctx context.Context, doc *html.Node, u *url.URL) (out domain.Extracted, lang string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			e.log.WarnContext(ctx, "extract_panic", "panic", fmt.Sprint(r))
			ok = false
		}
	}()
	// Both libraries clone the document before changing it, so they can share doc.
	art, rerr := readability.FromDocument(doc, u)
	opts := trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  true,
		ExcludeComments: true,
		// The publication date is not part of the result; finding it is the slowest step.
		HtmlDateMode: trafilatura.Disabled,
	}
	if rerr == nil && art.Node != nil {
		opts.FallbackCandidates = &trafilatura.FallbackCandidates{Readability: art.Node}
	}
	res, terr := trafilatura.ExtractDocument(doc, opts)

	var text string
	if terr == nil && res != nil && res.ContentNode != nil {
		text = renderText(res.ContentNode)
	}
	if text == "" && rerr == nil && art.Node != nil {
		text = renderText(art.Node)
	}
	out = domain.Extracted{
		Title:    art.Title,
		Byline:   art.Byline,
		Excerpt:  art.Excerpt,
		SiteName: art.SiteName,
		Lang:     art.Language,
		Text:     text,
	}
	if res != nil {
		md := res.Metadata
		out.Title = firstNonEmpty(out.Title, md.Title)
		out.Byline = firstNonEmpty(out.Byline, md.Author)
		out.Excerpt = firstNonEmpty(out.Excerpt, md.Description)
		out.SiteName = firstNonEmpty(out.SiteName, md.Sitename)
		lang = md.Language
	}
	ok = utf8.RuneCountInString(text) >= minArticleRunes
	if !ok {
		lang = ""
	}
	return out, lang, ok
}

func fromHead(m headMeta, text string) domain.Extracted {
	return domain.Extracted{Title: m.title, Byline: m.author, Excerpt: m.description,
		SiteName: m.siteName, Lang: m.lang, Text: text}
}

// pageURL parses the page's URL for resolving relative links; nil when it is not absolute.
func pageURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil
	}
	return u
}
