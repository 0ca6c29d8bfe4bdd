package application

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"taskrunner/domain"
)

// fetchEntry is what the cache keeps for a finished fetch.
type fetchEntry struct {
	TextID   string `json:"text_id"`
	HTMLID   string `json:"html_id,omitempty"`
	Title    string `json:"title"`
	FinalURL string `json:"final_url"`
}

// ids are the artifact ids of a result: the text, then the HTML when it was asked for.
func (e fetchEntry) ids(withHTML bool) []string {
	if withHTML && e.HTMLID != "" {
		return []string{e.TextID, e.HTMLID}
	}
	return []string{e.TextID}
}

// reuse finds the artifacts of an earlier identical fetch through the cache or, when the
// cache lost them, the latest successful run of the key. They are reused while the text is
// younger than the TTL and, when raw HTML is asked for, the earlier fetch stored it.
func (h *FetchHandler) reuse(ctx context.Context, key string, p domain.FetchParams) (fetchEntry, bool) {
	if h.deps.CacheTTL <= 0 {
		return fetchEntry{}, false
	}
	var e fetchEntry
	fromRun := false
	if !h.cache.get(ctx, domain.FetchCacheKey(key), &e) || e.TextID == "" {
		ids := h.runs.succeededArtifacts(ctx, domain.ScopeFetch, key)
		if len(ids) == 0 {
			return fetchEntry{}, false
		}
		e = fetchEntry{TextID: ids[0]}
		if len(ids) > 1 {
			e.HTMLID = ids[1]
		}
		fromRun = true
	}
	if p.StoreRawHTML && e.HTMLID == "" {
		return fetchEntry{}, false
	}
	text, err := h.deps.Artifacts.Get(ctx, e.TextID)
	if err != nil || text.Type != domain.ArtifactFetchText || h.deps.Clock.Now().Sub(text.CreatedAt) >= h.deps.CacheTTL {
		return fetchEntry{}, false
	}
	if p.StoreRawHTML {
		if raw, err := h.deps.Artifacts.Get(ctx, e.HTMLID); err != nil || raw.Type != domain.ArtifactFetchHTML {
			return fetchEntry{}, false
		}
	}
	if fromRun {
		var m struct {
			Title    string `json:"title"`
			FinalURL string `json:"final_url"`
		}
		_ = json.Unmarshal(text.Metadata, &m)
		e.Title, e.FinalURL = m.Title, m.FinalURL
	}
	return e, true
}

// fetchRun is the run of a finished fetch: scope "fetch", key RunKey(fetch, FetchKey), the
// artifact ids (text first), and the metrics "cached" and, for a real fetch, "status",
// "bytes", "text_bytes", "fetch_ms", "extract_ms" and "truncated".
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
	} else {
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
