package domain

// RenderInput is what a page renderer reads: the page, and which renderings to make.
type RenderInput struct {
	HTML       string // UTF-8
	URL        string // the page's final URL: links are made absolute against it
	ReaderMode bool   // markdown of the article (true) or of the whole page
	Markdown   bool   // make Rendered.Markdown
	Links      bool   // make Rendered.Links
}

// PageLink is one link of a page.
type PageLink struct {
	URL      string `json:"url"`      // absolute, without its fragment
	Text     string `json:"text"`     // the anchor text, whitespace collapsed
	Internal bool   `json:"internal"` // on the page's own host (a www. prefix aside)
}

// PageMeta are the facts about a page that sit in its head rather than its text.
type PageMeta struct {
	PublishedAt  string // RFC 3339 UTC, or "" when the page names no date
	CanonicalURL string // absolute, from <link rel=canonical>, or ""
	Lang         string // <html lang>, or ""
}

// Rendered is a page rendered beside its text.
type Rendered struct {
	Markdown string
	Links    []PageLink
	Meta     PageMeta
	// Truncated says the page or an output passed a bound of the renderer; what is there
	// covers the page's beginning.
	Truncated bool
}
