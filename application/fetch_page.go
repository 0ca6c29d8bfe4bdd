package application

import (
	"context"
	"errors"
	"mime"
	"strings"
	"time"

	"taskrunner/domain"
)

// fetchedPage is a page fetched and stored: its artifacts (entry) and the measurements
// its run records.
type fetchedPage struct {
	entry                  fetchEntry
	status                 int
	bytes, textBytes       int
	truncated              bool // the extractor read only the page's beginning
	fetchTime, extractTime time.Duration
}

// readPage is a fetched page read in every format asked for, before anything is stored.
type readPage struct {
	page     domain.Page
	ex       domain.Extracted
	rendered domain.Rendered
	fetched  time.Time
}

// fetch downloads, extracts, renders and stores. Nothing is stored when the fetch, the
// extraction or the rendering fails.
func (h *FetchHandler) fetch(ctx context.Context, taskID string, p domain.FetchParams) (fetchedPage, error) {
	t0 := h.deps.Clock.Now()
	page, err := h.deps.Fetcher.Fetch(ctx, domain.FetchRequest{URL: p.URL, MaxBytes: h.deps.Limits.MaxArtifactBytes()})
	t1 := h.deps.Clock.Now()
	h.deps.Observer.PageFetched(callOutcome(err), len(page.Body), t1.Sub(t0))
	if err != nil {
		h.noteOversize(ctx, taskID, err)
		return fetchedPage{}, err
	}
	bodyBytes := len(page.Body)
	if !p.Wants(domain.FormatHTML) {
		page.Body = nil // not stored: let it go before the extraction's allocations
	}
	r := readPage{page: page, fetched: t1}
	if r.ex, r.rendered, err = h.read(ctx, page, p); err != nil {
		return fetchedPage{}, err
	}
	r.page.Text = "" // read: a large page need not stay alive while the artifacts are stored
	t2 := h.deps.Clock.Now()
	entry, err := h.store(ctx, taskID, p, r)
	if err != nil {
		return fetchedPage{}, err
	}
	return fetchedPage{
		entry:  entry,
		status: page.StatusCode, bytes: bodyBytes, textBytes: len(r.ex.Text), truncated: r.ex.Truncated,
		fetchTime: t1.Sub(t0), extractTime: t2.Sub(t1),
	}, nil
}

// read extracts the text (always: the title, byline and word count come from it) and
// renders what else is asked for, both in extraction slots. A plain-text page is its own
// text and markdown, and has no links.
func (h *FetchHandler) read(ctx context.Context, page domain.Page, p domain.FetchParams) (domain.Extracted, domain.Rendered, error) {
	if page.ContentType == "text/plain" {
		text := domain.StorableText(page.Text)
		return domain.Extracted{Text: text}, domain.Rendered{Markdown: text, Links: []domain.PageLink{}}, nil
	}
	ex, err := h.extract(ctx, domain.ExtractInput{HTML: page.Text, URL: page.FinalURL, ReaderMode: p.ReaderMode})
	if err != nil {
		return domain.Extracted{}, domain.Rendered{}, readFailed(ctx, "extraction", err)
	}
	rendered, err := h.render(ctx, domain.RenderInput{HTML: page.Text, URL: page.FinalURL, ReaderMode: p.ReaderMode,
		Markdown: p.Wants(domain.FormatMarkdown), Links: p.Wants(domain.FormatLinks)})
	if err != nil {
		return domain.Extracted{}, domain.Rendered{}, readFailed(ctx, "rendering", err)
	}
	return ex, rendered, nil
}

// readFailed is the task error of an extraction or rendering that did not finish.
func readFailed(ctx context.Context, what string, err error) error {
	if ctx.Err() != nil {
		return domain.NewError(domain.CodeFetchFailed, "%s was interrupted", what).WithCause(err).Transient()
	}
	return domain.NewError(domain.CodeInternal, "%s failed", what).WithCause(err)
}

// wordCount counts the words of a text: the runs between white space.
func wordCount(text string) int { return len(strings.Fields(text)) }

// pageContentType is the page's media type with the charset its bytes are in.
func pageContentType(page domain.Page) string {
	params := map[string]string{}
	if page.Charset != "" {
		params["charset"] = page.Charset
	}
	if ct := mime.FormatMediaType(page.ContentType, params); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// noteOversize logs artifact_rejected when the page was refused for being over the
// artifact limit: it is the artifact that would have been stored.
func (h *FetchHandler) noteOversize(ctx context.Context, taskID string, err error) {
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeArtifactSizeExceeded {
		return
	}
	limit := h.deps.Limits.MaxArtifactBytes()
	size, _ := de.Details["size_bytes"].(int64)
	// The fetcher stops reading one byte past the limit: then the size is a lower bound.
	h.deps.Artifacts.logRejected(ctx, oversize{taskID: taskID, typ: domain.ArtifactFetchText,
		size: size, partial: size == limit+1, limit: limit, via: viaFetch})
}
