// Package extract turns HTML into readable text behind the ports.Extractor port. Reader mode
// runs go-trafilatura with a go-shiori/go-readability article as its fallback candidate (the
// combination that scores best on public article benchmarks) and takes title, byline,
// excerpt, site name and language from readability, then trafilatura's metadata, then the
// page's own <head>. When no article is found, and in raw mode, the result is the page's
// visible text. Text is rendered from the HTML tree with blank lines between blocks, so
// neighbouring paragraphs never run together. The work is bounded whatever the page: the
// parser reads at most maxParseNodes (bound.go) and the article extractors only get
// documents within the bounds of size.go.
package extract
