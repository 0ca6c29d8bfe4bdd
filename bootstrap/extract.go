package bootstrap

import (
	"context"
	"fmt"
	"io"
	"strings"

	"taskrunner/adapters/extract"
	"taskrunner/adapters/web"
	"taskrunner/domain"
)

// ExtractRequest is one page for ExtractText.
type ExtractRequest struct {
	// Page is the HTML, read to its end (up to the default artifact limit).
	Page io.Reader
	// URL is the page's address, for resolving relative links and the site name; may be "".
	URL string
	// Charset is the page's charset when it does not declare one; "" sniffs it.
	Charset string
	// Raw keeps the visible text of the whole page (reader_mode=false) instead of the article.
	Raw bool
}

// ExtractResult is the readable text of a page.
type ExtractResult struct {
	Text string
	// Truncated is set when the page was longer than the extractor reads: Text covers its
	// beginning.
	Truncated bool
}

// ExtractText decodes a page to UTF-8 and extracts its readable text through the same
// decoder and extractor as fetch_url tasks, for `taskrunner extract`. It lives here, not in
// cmd, so that cmd imports only bootstrap: the adapters it uses are wired in one place.
func ExtractText(ctx context.Context, r ExtractRequest) (ExtractResult, error) {
	limit := domain.DefaultLimits().MaxArtifactBytes()
	// The same cap as a fetch under the default artifact limit; one byte more tells "too big".
	body, err := io.ReadAll(io.LimitReader(r.Page, limit+1))
	if err != nil {
		return ExtractResult{}, fmt.Errorf("reading the page: %w", err)
	}
	if int64(len(body)) > limit {
		return ExtractResult{}, fmt.Errorf("the page is larger than %d MB", domain.DefaultLimits().TaskMaxArtifactMB)
	}
	contentType := "text/html"
	if cs := strings.TrimSpace(r.Charset); cs != "" {
		contentType += "; charset=" + cs
	}
	text, _ := web.Decode(body, contentType)
	out, err := extract.New(extract.Config{}).Extract(ctx, domain.ExtractInput{HTML: text, URL: r.URL, ReaderMode: !r.Raw})
	if err != nil {
		return ExtractResult{}, err
	}
	return ExtractResult{Text: out.Text, Truncated: out.Truncated}, nil
}
