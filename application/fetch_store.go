package application

import (
	"context"
	"encoding/json"
	"time"

	"taskrunner/domain"
)

// store writes one artifact per format asked for, in format order, and returns their ids.
// fetch_text and fetch_markdown carry the page's metadata; fetch_links and fetch_html the
// fetch's facts only.
func (h *FetchHandler) store(ctx context.Context, taskID string, p domain.FetchParams, r readPage) (fetchEntry, error) {
	fetchedAt := r.fetched.UTC().Format(time.RFC3339Nano)
	lang := r.ex.Lang
	if lang == "" {
		lang = r.rendered.Meta.Lang
	}
	pageMeta := map[string]any{
		"url": p.URL, "final_url": r.page.FinalURL, "status": r.page.StatusCode,
		"title": r.ex.Title, "byline": r.ex.Byline, "excerpt": r.ex.Excerpt, "site_name": r.ex.SiteName,
		"lang": lang, "fetched_at": fetchedAt, "reader_mode": p.ReaderMode,
		"truncated": r.ex.Truncated, "word_count": wordCount(r.ex.Text),
		"published_at": nullIfEmpty(r.rendered.Meta.PublishedAt), "canonical_url": nullIfEmpty(r.rendered.Meta.CanonicalURL),
	}
	fetchMeta := map[string]any{"url": p.URL, "final_url": r.page.FinalURL, "status": r.page.StatusCode, "fetched_at": fetchedAt}
	entry := fetchEntry{Title: r.ex.Title, FinalURL: r.page.FinalURL}
	for _, f := range p.EffectiveFormats() {
		a := NewArtifact{TaskID: taskID, Type: f.ArtifactType()}
		var meta map[string]any
		switch f {
		case domain.FormatText:
			a.ContentType, a.Data, meta = "text/plain; charset=utf-8", []byte(r.ex.Text), pageMeta
		case domain.FormatMarkdown:
			a.ContentType, a.Data = "text/markdown; charset=utf-8", []byte(domain.StorableText(r.rendered.Markdown))
			meta = withEntries(pageMeta, map[string]any{"truncated": r.ex.Truncated || r.rendered.Truncated})
		case domain.FormatLinks:
			data, err := json.Marshal(map[string]any{"links": storableLinks(r.rendered.Links)})
			if err != nil {
				return fetchEntry{}, domain.NewError(domain.CodeInternal, "encoding the links failed").WithCause(err)
			}
			a.ContentType, a.Data = "application/json", data
			meta = withEntries(fetchMeta, map[string]any{"link_count": len(r.rendered.Links), "truncated": r.rendered.Truncated})
		case domain.FormatHTML:
			a.ContentType, a.Data, meta = pageContentType(r.page), r.page.Body, fetchMeta
		}
		var err error
		if a.Metadata, err = json.Marshal(meta); err != nil {
			return fetchEntry{}, domain.NewError(domain.CodeInternal, "encoding the %s metadata failed", a.Type).WithCause(err)
		}
		stored, err := h.deps.Artifacts.Create(ctx, a)
		if err != nil {
			return fetchEntry{}, err
		}
		entry.setID(f, stored.ID)
	}
	return entry, nil
}

// withEntries is m with extra's entries added or replaced, m unchanged.
func withEntries(m, extra map[string]any) map[string]any {
	out := make(map[string]any, len(m)+len(extra))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// storableLinks cleans link texts and URLs for storage (no NUL, valid UTF-8).
func storableLinks(links []domain.PageLink) []domain.PageLink {
	out := make([]domain.PageLink, len(links))
	for i, l := range links {
		out[i] = domain.PageLink{URL: domain.StorableText(l.URL), Text: domain.StorableText(l.Text), Internal: l.Internal}
	}
	return out
}
