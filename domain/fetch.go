package domain

// FetchRequest asks the page fetcher for one URL.
type FetchRequest struct {
	URL      string
	MaxBytes int64 // body cap; a larger body fails with artifact_size_exceeded
	// Truncate keeps the first MaxBytes of a larger body instead of failing (robots.txt:
	// RFC 9309 has crawlers read the beginning of an oversized file).
	Truncate bool
}

// Page is a fetched page. Body holds the original bytes; Text holds the body decoded to
// UTF-8 from its declared or sniffed charset.
type Page struct {
	URL         string
	FinalURL    string // after redirects
	StatusCode  int
	ContentType string // media type without parameters, e.g. "text/html"
	Charset     string // the charset the body was decoded from
	Body        []byte
	Text        string
}

// ExtractInput is what the extractor reads.
type ExtractInput struct {
	HTML       string // UTF-8
	URL        string // the page's final URL, for resolving relative links and site names
	ReaderMode bool   // true: the article; false: the visible text of the whole page
}

// Extracted is readable text and metadata of a page.
type Extracted struct {
	Title    string
	Byline   string
	Excerpt  string
	SiteName string
	Lang     string
	Text     string
	// Truncated says the page was larger than the extractor reads (see the extractor's
	// input bound); the text covers the page's beginning only.
	Truncated bool
}
