package application

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// FetchDeps are the ports the fetch handler needs.
type FetchDeps struct {
	Fetcher   ports.PageFetcher
	Extractor ports.Extractor
	Artifacts *ArtifactService
	Cache     ports.Cache
	Runs      ports.RunStore
	Clock     ports.Clock
	IDs       *domain.IDGenerator
	// CacheTTL is FETCH_CACHE_TTL_SECONDS: how long an identical fetch (same canonical URL
	// and reader mode) reuses the earlier artifacts. 0 turns reuse off.
	CacheTTL time.Duration
	// Limits give the body cap (the artifact limit).
	Limits domain.Limits
	// MaxExtractions is EXTRACT_MAX_CONCURRENT: how many extractions run at once in this
	// process, however many tasks run; 0 means one per CPU (GOMAXPROCS).
	MaxExtractions int
	Log            *slog.Logger
}

// FetchHandler runs `fetch_url` tasks: fetch the page safely, extract its text (reader mode:
// the article; otherwise the visible text), store a fetch_text artifact and, with
// store_raw_html, a fetch_html artifact of the original bytes. The result is
// {"artifact_ids", "title", "final_url", "cached"}.
type FetchHandler struct {
	deps  FetchDeps
	slots extractSlots
	cache jsonCache
	runs  runRecords
}

var _ Handler = (*FetchHandler)(nil)

// NewFetchHandler returns the handler, or an error naming a missing dependency.
func NewFetchHandler(d FetchDeps) (*FetchHandler, error) {
	if d.Fetcher == nil || d.Extractor == nil || d.Artifacts == nil || d.Cache == nil || d.Runs == nil ||
		d.Clock == nil || d.IDs == nil || d.Log == nil {
		return nil, errors.New("application: fetch handler needs Fetcher, Extractor, Artifacts, Cache, Runs, Clock, IDs and Log")
	}
	return &FetchHandler{deps: d, slots: newExtractSlots(d.MaxExtractions),
		cache: jsonCache{cache: d.Cache, ttl: d.CacheTTL, log: d.Log, event: "fetch_cache_failed"},
		runs:  runRecords{runs: d.Runs, ids: d.IDs, log: d.Log, event: "fetch_run_record_failed"},
	}, nil
}

// fetchResult is the result object of a fetch_url task.
type fetchResult struct {
	ArtifactIDs []string `json:"artifact_ids"`
	Title       string   `json:"title"`
	FinalURL    string   `json:"final_url"`
	Cached      bool     `json:"cached"`
}

// Validate checks params as domain.ParseFetchParams says and returns them normalized:
// {"url", "reader_mode", "store_raw_html"}.
func (h *FetchHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	p, err := domain.ParseFetchParams(params, limits)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// Run fetches once, or reuses the artifacts of an identical fetch inside the cache TTL (then
// cached is true and nothing is fetched).
func (h *FetchHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p domain.FetchParams
	if err := json.Unmarshal(t.Params, &p); err != nil || p.URL == "" {
		return nil, domain.InvalidParams("params", "stored params of fetch_url task %s are not valid", t.ID)
	}
	canon, err := domain.CanonicalURL(p.URL)
	if err != nil {
		canon = p.URL // still a stable key; the fetcher decides whether the URL is usable
	}
	key := domain.FetchKey(canon, p.ReaderMode)
	began := h.deps.Clock.Now()
	host := hostOf(p.URL)

	if e, ok := h.reuse(ctx, key, p); ok {
		ended := h.deps.Clock.Now()
		h.runs.record(ctx, fetchRun(key, t.ID, e.ids(p.StoreRawHTML), true, nil, began, ended))
		h.deps.Log.InfoContext(ctx, "fetch_reused", "task_id", t.ID, "host", host, "artifact_id", e.TextID)
		return json.Marshal(fetchResult{ArtifactIDs: e.ids(p.StoreRawHTML), Title: e.Title, FinalURL: e.FinalURL, Cached: true})
	}

	out, err := h.fetch(ctx, t.ID, p)
	ended := h.deps.Clock.Now()
	if err != nil {
		h.runs.record(ctx, failedFetchRun(key, t.ID, err, began, ended))
		h.deps.Log.WarnContext(ctx, "fetch_failed", "task_id", t.ID, "host", host,
			"code", string(domain.CodeOf(err)), "retryable", domain.IsRetryable(err))
		return nil, err
	}
	h.cache.set(ctx, domain.FetchCacheKey(key), out.entry)
	h.runs.record(ctx, fetchRun(key, t.ID, out.entry.ids(p.StoreRawHTML), false, &out, began, ended))
	h.deps.Log.InfoContext(ctx, "fetch_completed", "task_id", t.ID, "host", host, "status", out.status,
		"bytes", out.bytes, "text_bytes", out.textBytes, "truncated", out.truncated, "reader_mode", p.ReaderMode,
		"duration_ms", ended.Sub(began).Milliseconds())
	return json.Marshal(fetchResult{ArtifactIDs: out.entry.ids(p.StoreRawHTML), Title: out.entry.Title,
		FinalURL: out.entry.FinalURL, Cached: false})
}

// hostOf names the host for logs; URLs are not logged whole (their queries may hold tokens).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
