// Package extract turns HTML into readable text behind the ports.Extractor port. Reader mode
// first parses the markup <noscript> elements hold, keeping it only when it is an article
// a reader without scripts sees (noscript.go), drops reader-comment threads set inside the
// article's container (comments.go), takes short boilerplate blocks out of the page (ad
// slots, signup boxes, share bars, captions, author bios, menus, side rails: prune.go) and turns text runs a block holds directly (Blogger's
// <br><br> posts) into paragraphs (paras.go), then runs go-trafilatura and readeck's
// go-readability on every page; readability's article is a candidate that replaces
// trafilatura's when that is short and the candidate much longer, or when the candidate
// is the core of a longer article whose rest is the page's template (choose.go gives the
// measured thresholds); when the page's
// JSON-LD gives the article's text (articleBody), the article's short lines that text does
// not hold are dropped (jsonld.go); the article then gets
// the lead (dek, standfirst) from its header when it lacks it (lede.go), and loses
// a repeated title, "Read more:" lines, menus written as lines and copyright lines (lines.go) and the sections of
// other stories under a heading such as "You Might Also Like" (sections.go). Title, byline,
// excerpt and site name come from trafilatura's metadata (readability's title first when
// it ran), then the page's own <head>. When no article is found, and in raw mode, the
// result is the page's visible text. Text is rendered from the HTML tree with blank lines
// between blocks, so neighbouring paragraphs never run together. The work is bounded
// whatever the page: the parser reads at most maxParseNodes (bound.go) and the article
// extractors only get documents within the bounds of size.go.
package extract
