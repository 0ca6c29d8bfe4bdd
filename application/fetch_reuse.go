package application

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"taskrunner/domain"
)

// fetchEntry is what the cache keeps for a finished fetch: the artifact of each format it
// stored. Entries written before formats existed have text and, maybe, html.
type fetchEntry struct {
	TextID     string `json:"text_id,omitempty"`
	HTMLID     string `json:"html_id,omitempty"`
	MarkdownID string `json:"markdown_id,omitempty"`
	LinksID    string `json:"links_id,omitempty"`
	Title      string `json:"title"`
	FinalURL   string `json:"final_url"`
}

// id is the artifact of format f, or "".
func (e fetchEntry) id(f domain.FetchFormat) string {
	switch f {
	case domain.FormatText:
		return e.TextID
	case domain.FormatMarkdown:
		return e.MarkdownID
	case domain.FormatLinks:
		return e.LinksID
	case domain.FormatHTML:
		return e.HTMLID
	}
	return ""
}

func (e *fetchEntry) setID(f domain.FetchFormat, id string) {
	switch f {
	case domain.FormatText:
		e.TextID = id
	case domain.FormatMarkdown:
		e.MarkdownID = id
	case domain.FormatLinks:
		e.LinksID = id
	case domain.FormatHTML:
		e.HTMLID = id
	}
}

// ids are the artifact ids of formats, in their order (the result order).
func (e fetchEntry) ids(formats []domain.FetchFormat) []string {
	out := make([]string, 0, len(formats))
	for _, f := range formats {
		if id := e.id(f); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// reuse finds the artifacts of an earlier fetch of the same page and mode through the
// cache or, when the cache lost them, the latest successful run of the key. The cache key
// is the page and mode; the entry lists the formats that fetch stored, and it answers
// only a request for some of them: a text-only fetch does not answer a markdown request,
// a fetch of every format answers any. Each artifact asked for must still exist and be
// younger than the TTL.
func (h *FetchHandler) reuse(ctx context.Context, key string, p domain.FetchParams) (fetchEntry, bool) {
	if h.deps.CacheTTL <= 0 {
		return fetchEntry{}, false
	}
	formats := p.EffectiveFormats()
	var e fetchEntry
	fromRun := false
	if !h.cache.get(ctx, domain.FetchCacheKey(key), &e) || len(e.ids(formats)) != len(formats) {
		var ok bool
		if e, ok = h.entryFromRun(ctx, key); !ok {
			return fetchEntry{}, false
		}
		fromRun = true
	}
	var meta json.RawMessage
	for _, f := range formats {
		id := e.id(f)
		if id == "" {
			return fetchEntry{}, false
		}
		a, err := h.deps.Artifacts.Get(ctx, id)
		if err != nil || a.Type != f.ArtifactType() || h.deps.Clock.Now().Sub(a.CreatedAt) >= h.deps.CacheTTL {
			return fetchEntry{}, false
		}
		if meta == nil && f != domain.FormatHTML && f != domain.FormatLinks {
			meta = a.Metadata
		}
	}
	if fromRun && meta != nil {
		var m struct {
			Title    string `json:"title"`
			FinalURL string `json:"final_url"`
		}
		_ = json.Unmarshal(meta, &m)
		e.Title, e.FinalURL = m.Title, m.FinalURL
	}
	return e, true
}

// entryFromRun rebuilds an entry from the latest successful run of key, telling its
// artifacts' formats apart by their types.
func (h *FetchHandler) entryFromRun(ctx context.Context, key string) (fetchEntry, bool) {
	ids := h.runs.succeededArtifacts(ctx, domain.ScopeFetch, key)
	if len(ids) == 0 || len(ids) > 8 {
		return fetchEntry{}, false
	}
	var e fetchEntry
	for _, id := range ids {
		a, err := h.deps.Artifacts.Get(ctx, id)
		if err != nil {
			return fetchEntry{}, false
		}
		if f, ok := domain.FormatOfArtifact(a.Type); ok {
			e.setID(f, id)
		}
	}
	return e, true
}

// fetchRun is the run of a finished fetch: scope "fetch", key RunKey(fetch, FetchKey), the
// artifact ids (in format order), and the metrics "cached" and, for a real fetch,
// "status", "bytes", "text_bytes", "fetch_ms", "extract_ms" and "truncated".
func fetchRun(key, taskID string, ids []string, cached bool, out *fetchedPage, began, ended time.Time) domain.Run {
	r := domain.Run{
		Scope: domain.ScopeFetch, Key: domain.RunKey(domain.ScopeFetch, key), TaskID: taskID,
		Status: domain.RunSucceeded, ArtifactIDs: ids, StartedAt: began, FinishedAt: ended,
		Metrics: []domain.Metric{{Name: "cached", Value: boolMetric(cached)}},
	}
	if out != nil {
		r.Metrics = append(r.Metrics,
			domain.Metric{Name: "status", Value: float64(out.status)},
			domain.Metric{Name: "bytes", Value: float64(out.bytes)},
			domain.Metric{Name: "text_bytes", Value: float64(out.textBytes)},
			domain.Metric{Name: "fetch_ms", Value: float64(out.fetchTime.Milliseconds())},
			domain.Metric{Name: "extract_ms", Value: float64(out.extractTime.Milliseconds())},
			domain.Metric{Name: "truncated", Value: boolMetric(out.truncated)})
	} else if len(ids) > 0 {
		r.Notes = append(r.Notes, domain.Note{Text: "reused artifact " + ids[0] + " of an identical fetch", CreatedAt: ended})
	}
	return r
}

// failedFetchRun is the run of a fetch that failed, with the error code and message.
func failedFetchRun(key, taskID string, err error, began, ended time.Time) domain.Run {
	msg := string(domain.CodeOf(err))
	var de *domain.Error
	if errors.As(err, &de) {
		msg += ": " + de.Message
	}
	return domain.Run{
		Scope: domain.ScopeFetch, Key: domain.RunKey(domain.ScopeFetch, key), TaskID: taskID,
		Status: domain.RunFailed, StartedAt: began, FinishedAt: ended,
		Metrics: []domain.Metric{{Name: "cached", Value: 0}},
		Notes:   []domain.Note{{Text: msg, CreatedAt: ended}},
	}
}
