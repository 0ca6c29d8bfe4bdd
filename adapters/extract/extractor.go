package extract

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	readeck "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Config configures an Extractor. The zero value is the tuned default.
type Config struct {
	// Log receives extract_panic (a library panicked; the visible text was used),
	// extract_truncated (the page passed the parser's bound) and extract_skipped (too
	// large for the article extractors) events. Nil discards them.
	Log *slog.Logger
}

// Extractor implements ports.Extractor. It is safe for concurrent use.
type Extractor struct {
	log *slog.Logger
	// decide chooses between the article and the candidate: replaces, or in the
	// evaluation tools a function that records the features (export_test.go).
	decide func(switchFeatures) bool
	// skip leaves passes out, for the evaluation tools that weigh each one
	// (export_test.go); always empty in production.
	skip passes
}

// passes names this package's own passes around trafilatura.
type passes struct{ noscript, comments, prune, paragraphs, inline, lede, jsonld, lines, sections, commentcut, linkruns, tail bool }

var _ ports.Extractor = (*Extractor)(nil)

// New returns an Extractor.
func New(cfg Config) *Extractor {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{log: log, decide: replaces}
}

// Extract returns the article (reader mode) or the visible text of the whole page. It never
// fails on malformed HTML: a library panic is recovered and the visible text returned.
//
// It works in the caller's goroutine and checks ctx between its stages (during the
// pre-scan, after the parse, between and after the article extractors), returning ctx's
// error at the first check after ctx ends. No work goes on after it returns, so callers can
// bound concurrent extractions by counting calls in flight. Each stage is bounded in
// time and memory: the parse by maxParseNodes, the article extractors by
// maxArticleElements, maxArticleNodes and maxArticleTextBytes.
func (e *Extractor) Extract(ctx context.Context, in domain.ExtractInput) (domain.Extracted, error) {
	if err := ctx.Err(); err != nil {
		return domain.Extracted{}, err
	}
	page, truncated, err := boundInput(ctx, in.HTML)
	if err != nil {
		return domain.Extracted{}, err
	}
	if truncated {
		e.log.InfoContext(ctx, "extract_truncated", "bytes", len(in.HTML), "bytes_read", len(page),
			"max_nodes", maxParseNodes)
	}
	out, err := e.extract(ctx, page, in)
	if err != nil {
		return domain.Extracted{}, err
	}
	out.Truncated = out.Truncated || truncated // extract bounds a mended page again
	return domain.StorableExtract(out), nil
}

// extract runs the stages after the input bound on the part of the page that is read.
func (e *Extractor) extract(ctx context.Context, page string, in domain.ExtractInput) (domain.Extracted, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil { // nesting deeper than the parser accepts (512 elements)
		return domain.Extracted{Text: strings.TrimSpace(page)}, nil
	}
	if err := ctx.Err(); err != nil {
		return domain.Extracted{}, err
	}
	// A head title that swallowed the page is closed and the page read again (title.go).
	doc, page, truncated, err := mendTitle(ctx, doc, page)
	if err != nil {
		return domain.Extracted{}, err
	}
	if truncated {
		e.log.InfoContext(ctx, "extract_truncated", "bytes", len(in.HTML), "bytes_read", len(page),
			"max_nodes", maxParseNodes)
	}
	head := readHeadMeta(doc)
	if !in.ReaderMode {
		out := fromHead(head, renderText(doc))
		out.Truncated = truncated
		return out, nil
	}
	var out domain.Extracted
	var detectedLang string
	ok := false
	if size := measure(doc); size.tooLarge() {
		e.log.InfoContext(ctx, "extract_skipped", "reason", "page too large for the article extractors",
			"elements", size.elements, "nodes", size.nodes, "text_bytes", size.textBytes)
	} else {
		out, detectedLang, ok = e.article(ctx, doc, page, pageURL(in.URL), head.description)
		if err := ctx.Err(); err != nil {
			return domain.Extracted{}, err
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
	out.Truncated = truncated
	return out, nil
}

// minArticleRunes is the length below which an extracted "article" is taken to be no
// article at all. Trafilatura rescues short pages with a baseline that glues the page's
// fragments together (menus, template text); the page's visible text, rendered with its
// block structure, is the better answer there. 250 is trafilatura's own MinExtractedSize.
const minArticleRunes = 250

// doubtfulRunes and candidateFactor decide when the second extractor's article replaces
// trafilatura's as the longer one (extends, choose.go; trims decides the other way on
// every page). Trafilatura runs first; readability (readeck's fork) on every page since
// trims, before which it ran only when trafilatura's article was shorter than
// doubtfulRunes. Its article extends only such a short one, only when it is more than
// candidateFactor times as long, and then only on the further features of replaces. Measured
// on go-trafilatura's 881 annotated comparison pages (TestDevVariants, dev_eval_test.go):
// this scores as running both on every page and letting trafilatura choose (snippet F1
// 0.906 against 0.907), while the second extractor runs on a fifth of the pages; asking it
// on every page scored no better, and a factor of 2 (trafilatura's own) switched on more
// pages where trafilatura had been right (0.906 against 0.907 for 2.5).
const (
	doubtfulRunes   = 1500
	candidateFactor = 2.5
)

// article runs trafilatura, then readability as the candidate that may replace it. ok is
// false when neither found an article of minArticleRunes.
func (e *Extractor) article(ctx context.Context, doc *html.Node, page string, u *url.URL, desc string) (out domain.Extracted, lang string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			e.log.WarnContext(ctx, "extract_panic", "panic", fmt.Sprint(r))
			ok = false
		}
	}()
	// trafilatura clones the document before changing it, so doc stays whole for the
	// candidate and the visible-text fallback. Comments are left at their default
	// (extracted on their own), which takes comment sections out of the article.
	// The pruned document is also what the candidate and the visible-text fallback read:
	// the blocks prune removes are boilerplate for them too.
	// The markup in <noscript> elements, parsed or dropped (noscript.go). Measured
	// (shingle F1, the gold sets): L3S news 0.8936 to 0.8953 (P 0.8329 to 0.8357),
	// Dragnet, CleanPortalEval and Readability unchanged; go-trafilatura's comparison set
	// 0.925 to 0.926 (its Blogger page, whose post is only in a <noscript>).
	if !e.skip.noscript {
		unwrapNoscripts(doc)
	}
	// Reader comments inside the article's container (comments.go). Measured with the
	// noscript pass on: L3S news 0.8953 to 0.9006 (11 pages up by more than 0.3, none
	// down by more than 0.05), CleanPortalEval 0.9066 to 0.9207 (the WSJ blogs' comment
	// entries), comparison set snippets P 0.933 to 0.934, R 0.919 to 0.920; Dragnet 0.8524
	// to 0.8327, whose gold text includes the comments (57 pages down by more than 0.3,
	// most of them a short post under a long thread).
	if !e.skip.comments {
		dropCommentThreads(doc)
	}
	if !e.skip.prune {
		prune(doc)
	}
	// Text runs held directly by a block become paragraphs (paras.go). Measured: English
	// dev set F1 tuning 0.9048 to 0.9117, held-out 0.9117 to 0.9193; comparison snippet F1
	// 0.910 to 0.912.
	if !e.skip.paragraphs {
		paragraphs(doc)
	}
	// Formatting inside list items, cells, headings and quotes, which trafilatura glues to
	// the next word (inline.go). Measured (TestGoldSets): L3S news F1 0.8778 to 0.8802
	// (R 0.9462 to 0.9503), Dragnet 0.8495 to 0.8509, Readability 0.9017 to 0.9031,
	// CleanPortalEval unchanged; comparison snippet F1 0.923 to 0.924 (recall 0.914 to 0.916).
	if !e.skip.inline {
		flattenInline(doc)
	}
	// The article's lead (dek, standfirst) from its header, which trafilatura leaves out
	// when it goes straight to the body container (lede.go). Measured: English dev set F1
	// tuning 0.9117 to 0.9154, held-out 0.9193 to 0.9239; comparison snippet F1 0.912 to
	// 0.915 (recall 0.900 to 0.906). The lead found by the page's description: comparison
	// 0.915 to 0.918 (recall 0.906 to 0.912; the dev pages have no description).
	var lede string
	if !e.skip.lede {
		lede = findLede(doc, desc)
	}
	// The article's text as the page's JSON-LD gives it (jsonld.go), read before trafilatura
	// since its copy of the document loses the scripts.
	var body string
	if !e.skip.jsonld {
		body = articleBody(doc)
	}
	res, terr := trafilatura.ExtractDocument(doc, trafilaturaOptions(u))
	var text string
	if terr == nil && res != nil && res.ContentNode != nil {
		text = renderText(res.ContentNode)
		md := res.Metadata
		out = domain.Extracted{Title: md.Title, Byline: md.Author, Excerpt: md.Description, SiteName: md.Sitename}
		lang = md.Language
	}
	// Readability runs on every page: its article replaces a short primary when far longer
	// (extends) and a long one when it is the primary's core without the rest (trims).
	if ctx.Err() != nil { // the caller returns ctx's error; the candidate would be wasted work
		return domain.Extracted{}, "", false
	}
	if art, cand, found := readabilityCandidate(doc, u); found {
		n := primaryRunes(text, out.Title)
		f := switchFeatures{PrimaryRunes: n, CandRunes: utf8.RuneCountInString(cand),
			Contained: contained(text, cand), Covered: contained(cand, text), CandLinkRunes: linkShare(art.Node),
			PrimaryProse: proseShare(text), CandProse: proseShare(cand)}
		rest := restOf(text, cand)
		f.RestProse, f.RestShare = proseShare(rest), share(rest, text)
		if e.decide(f) {
			text = joined(text, cand, f)
		} else if sameArticle(f) {
			text = trimEdges(text, cand)
		}
		if doubtful(n) {
			// Readability reads the page's own title (less the site name) where trafilatura
			// may take a heading, which on a page without an article is not its title.
			out.Title = firstNonEmpty(art.Title(), out.Title)
			out.Byline = firstNonEmpty(out.Byline, art.Byline())
			out.Excerpt = firstNonEmpty(out.Excerpt, art.Excerpt())
			out.SiteName = firstNonEmpty(out.SiteName, art.SiteName())
			out.Lang = firstNonEmpty(out.Lang, art.Language())
		}
	}
	if utf8.RuneCountInString(text) < minArticleRunes && ctx.Err() == nil {
		if plain := unpreparedArticle(page, u); utf8.RuneCountInString(plain) >= minArticleRunes {
			text = plain
		}
	}
	ok = utf8.RuneCountInString(text) >= minArticleRunes
	// Short lines the body does not hold are the template's, not the article's (jsonld.go).
	text = bodyFilter(text, body)
	text = withLede(text, lede, out.Title)
	if !e.skip.lines {
		text = dropLines(text, out.Title)
	}
	// Reader comments the DOM passes did not know by name, from their heading or notice on
	// (commentcut.go); sections of other stories after the article (sections.go); runs of
	// links before or after it, a table layout's menus (linkruns.go); then a tail of short
	// lines. The first two leave a table's column headings alone, read from
	// the page only when a line asks.
	cells := tableHeadings(doc)
	if !e.skip.commentcut {
		text = dropCommentSection(text, cells)
	}
	if !e.skip.sections {
		text = dropSections(text, cells)
	}
	if !e.skip.linkruns {
		text = dropLinkRuns(text, linkTexts(doc))
	}
	if !e.skip.tail {
		text = trimTail(text)
	}
	out.Text = text
	if !ok {
		lang = ""
	}
	return out, lang, ok
}

// unpreparedArticle is trafilatura's article of the page as it came, before prune and
// paragraphs changed it: the last resort when neither extractor found an article in the
// prepared page. Those passes help on average (TestGoldSets: L3S news F1 0.802 for
// trafilatura alone, 0.868 for this package), but on a few table-laid pages they move
// trafilatura off the article, and the visible text, all menus, was the answer then.
// Measured (TestGoldSets, EXTRACT_GOLD_SCORES): 5 of 2,118 pages change, Dragnet's set
// 0.8522 to 0.8530 (four pages from 0.02-0.30 to 0.41-0.92, one 0.185 to 0.179); the L3S
// and Readability sets unchanged. It costs a second parse and trafilatura run on the
// pages with no article, and only those.
func unpreparedArticle(page string, u *url.URL) string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return ""
	}
	res, err := trafilatura.ExtractDocument(doc, trafilaturaOptions(u))
	if err != nil || res == nil || res.ContentNode == nil {
		return ""
	}
	return renderText(res.ContentNode)
}

// trafilaturaOptions are the options of every trafilatura run. The publication date is
// not part of the result; finding it is the slowest step.
func trafilaturaOptions(u *url.URL) trafilatura.Options {
	return trafilatura.Options{OriginalURL: u, HtmlDateMode: trafilatura.Disabled}
}

// primaryRunes is the length of trafilatura's article as it would be returned: without the
// lines dropLines drops (a repeated title, menus, copyright and ad lines). An article that
// is long only by those lines is as doubtful as a short one, and is judged against the
// candidate by what it holds. Measured (TestGoldSets): Readability's set F1 0.9117 to
// 0.9192 (tumblr, a post's title and its site's link labels, 0.03 to 0.99), L3S news
// 0.9107 to 0.9111 (10 pages up, one down by 0.02), Dragnet and CleanPortalEval
// unchanged; go-trafilatura's comparison set snippet F1 0.926 to 0.927 (bettycrocker.com:
// two more found), the English dev set unchanged.
func primaryRunes(text, title string) int { return utf8.RuneCountInString(dropLines(text, title)) }

// doubtful reports whether an article of n runes is short enough for a longer candidate
// to replace it (extends), and for readability's metadata to come first.
func doubtful(n int) bool { return n < doubtfulRunes }

// readabilityCandidate runs readeck's go-readability on a copy of doc and renders its
// article; found is false when it has none.
func readabilityCandidate(doc *html.Node, u *url.URL) (art readeck.Article, text string, found bool) {
	p := readeck.NewParser()
	art, err := p.ParseDocument(doc, u)
	if err != nil || art.Node == nil {
		return art, "", false
	}
	return art, renderText(art.Node), true
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
