package application

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
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

// fetch downloads, extracts and stores. Nothing is stored when the fetch or the extraction
// fails or the text is over the artifact limit.
func (h *FetchHandler) fetch(ctx context.Context, taskID string, p domain.FetchParams) (fetchedPage, error) {
	t0 := h.deps.Clock.Now()
	page, err := h.deps.Fetcher.Fetch(ctx, domain.FetchRequest{URL: p.URL, MaxBytes: h.deps.Limits.MaxArtifactBytes()})
	if err != nil {
		h.noteOversize(ctx, taskID, err)
		return fetchedPage{}, err
	}
	t1 := h.deps.Clock.Now()
	bodyBytes := len(page.Body)
	if !p.StoreRawHTML {
		page.Body = nil // not stored: let it go before the extraction's allocations
	}
	var ex domain.Extracted
	if page.ContentType == "text/plain" {
		ex.Text = domain.StorableText(page.Text) // nothing to extract from
	} else if ex, err = h.extract(ctx, domain.ExtractInput{HTML: page.Text, URL: page.FinalURL, ReaderMode: p.ReaderMode}); err != nil {
		if ctx.Err() != nil {
			return fetchedPage{}, domain.NewError(domain.CodeFetchFailed, "extraction was interrupted").WithCause(err).Transient()
		}
		return fetchedPage{}, domain.NewError(domain.CodeInternal, "extraction failed").WithCause(err)
	}
	page.Text = "" // read: a large page need not stay alive while the text is stored
	t2 := h.deps.Clock.Now()

	meta, err := json.Marshal(map[string]any{
		"url": p.URL, "final_url": page.FinalURL, "status": page.StatusCode,
		"title": ex.Title, "byline": ex.Byline, "excerpt": ex.Excerpt, "site_name": ex.SiteName,
		"lang": ex.Lang, "fetched_at": t1.UTC().Format(time.RFC3339Nano), "reader_mode": p.ReaderMode,
		"truncated": ex.Truncated,
	})
	if err != nil {
		return fetchedPage{}, domain.NewError(domain.CodeInternal, "encoding the fetch_text metadata failed").WithCause(err)
	}
	text, err := h.deps.Artifacts.Create(ctx, NewArtifact{TaskID: taskID, Type: domain.ArtifactFetchText,
		ContentType: "text/plain; charset=utf-8", Data: []byte(ex.Text), Metadata: meta})
	if err != nil {
		return fetchedPage{}, err
	}
	out := fetchedPage{
		entry:  fetchEntry{TextID: text.ID, Title: ex.Title, FinalURL: page.FinalURL},
		status: page.StatusCode, bytes: bodyBytes, textBytes: len(ex.Text), truncated: ex.Truncated,
		fetchTime: t1.Sub(t0), extractTime: t2.Sub(t1),
	}
	if p.StoreRawHTML {
		htmlMeta, _ := json.Marshal(map[string]any{"url": p.URL, "final_url": page.FinalURL,
			"status": page.StatusCode, "fetched_at": t1.UTC().Format(time.RFC3339Nano)})
		raw, err := h.deps.Artifacts.Create(ctx, NewArtifact{TaskID: taskID, Type: domain.ArtifactFetchHTML,
			ContentType: pageContentType(page), Data: page.Body, Metadata: htmlMeta})
		if err != nil {
			return fetchedPage{}, err
		}
		out.entry.HTMLID = raw.ID
	}
	return out, nil
}

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
