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
	// Renderer makes the markdown and links formats and reads the page's head metadata.
	Renderer  ports.PageRenderer
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
	// Politeness is robots.txt and host pacing; the zero value is neither.
	Politeness Politeness
	Log        *slog.Logger
	// Observer times the downloads and counts their bytes; nil: no metrics.
	Observer ports.WorkObserver
}

// FetchHandler runs `fetch_url` tasks: ask the site's robots.txt and wait for the host's
// turn, fetch the page safely, extract its text (reader mode: the article; otherwise the
// visible text) and store one artifact per format asked for: fetch_text, fetch_markdown,
// fetch_links, fetch_html (the original bytes). The result is
// {"artifact_ids", "title", "final_url", "cached"}.
type FetchHandler struct {
	deps         FetchDeps
	slots        extractSlots
	cache        jsonCache
	runs         runRecords
	productToken string // of the User-Agent, for robots.txt
}

var _ Handler = (*FetchHandler)(nil)

// NewFetchHandler returns the handler, or an error naming a missing dependency.
func NewFetchHandler(d FetchDeps) (*FetchHandler, error) {
	if d.Fetcher == nil || d.Extractor == nil || d.Renderer == nil || d.Artifacts == nil || d.Cache == nil || d.Runs == nil ||
		d.Clock == nil || d.IDs == nil || d.Log == nil {
		return nil, errors.New("application: fetch handler needs Fetcher, Extractor, Renderer, Artifacts, Cache, Runs, Clock, IDs and Log")
	}
	token := domain.RobotsProductToken(d.Politeness.UserAgent)
	if d.Politeness.RespectRobots && token == "" {
		return nil, errors.New("application: FETCH_USER_AGENT has no product token to match robots.txt groups with")
	}
	d.Observer = workObserverOr(d.Observer)
	return &FetchHandler{deps: d, slots: newExtractSlots(d.MaxExtractions),
		cache:        jsonCache{cache: d.Cache, ttl: d.CacheTTL, log: d.Log, event: "fetch_cache_failed"},
		runs:         runRecords{runs: d.Runs, ids: d.IDs, log: d.Log, event: "fetch_run_record_failed"},
		productToken: token,
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
// {"url", "reader_mode", "store_raw_html", "formats"}.
func (h *FetchHandler) Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error) {
	p, err := domain.ParseFetchParams(params, limits)
	if err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// Run fetches once, or reuses the artifacts of an identical fetch inside the cache TTL (then
// cached is true and nothing is fetched). A fetch robots.txt disallows fails with
// fetch_disallowed_by_robots; one whose host is busy is deferred (domain.Deferral).
func (h *FetchHandler) Run(ctx context.Context, t domain.Task) (json.RawMessage, error) {
	var p domain.FetchParams
	if err := json.Unmarshal(t.Params, &p); err != nil || p.URL == "" {
		return nil, domain.InvalidParams("params", "stored params of fetch_url task %s are not valid", t.ID)
	}
	canon, cerr := domain.CanonicalURL(p.URL)
	if cerr != nil {
		canon = p.URL // still a stable key; the fetcher decides whether the URL is usable
	}
	key := domain.FetchKey(canon, p.ReaderMode)
	began := h.deps.Clock.Now()
	host := hostOf(p.URL)

	formats := p.EffectiveFormats()
	if e, ok := h.reuse(ctx, key, p); ok {
		ended := h.deps.Clock.Now()
		ids := e.ids(formats)
		h.runs.record(ctx, fetchRun(key, t.ID, ids, true, nil, began, ended))
		h.deps.Log.InfoContext(ctx, "fetch_reused", "task_id", t.ID, "host", host, "artifact_id", ids[0])
		return json.Marshal(fetchResult{ArtifactIDs: ids, Title: e.Title, FinalURL: e.FinalURL, Cached: true})
	}

	err := h.beforeFetch(ctx, t, p.URL)
	if d, ok := domain.AsDeferral(err); ok {
		h.deps.Log.InfoContext(ctx, "fetch_deferred", "task_id", t.ID, "host", host, "reason", d.Reason,
			"until", d.Until.UTC().Format(time.RFC3339Nano))
		return nil, err
	}
	var out fetchedPage
	if err == nil {
		out, err = h.fetch(ctx, t.ID, p)
	}
	ended := h.deps.Clock.Now()
	if err != nil {
		h.runs.record(ctx, failedFetchRun(key, t.ID, err, began, ended))
		h.deps.Log.WarnContext(ctx, "fetch_failed", "task_id", t.ID, "host", host,
			"code", string(domain.CodeOf(err)), "retryable", domain.IsRetryable(err))
		return nil, err
	}
	h.cache.set(ctx, domain.FetchCacheKey(key), out.entry)
	h.runs.record(ctx, fetchRun(key, t.ID, out.entry.ids(formats), false, &out, began, ended))
	h.deps.Log.InfoContext(ctx, "fetch_completed", "task_id", t.ID, "host", host, "status", out.status,
		"bytes", out.bytes, "text_bytes", out.textBytes, "truncated", out.truncated, "reader_mode", p.ReaderMode,
		"duration_ms", ended.Sub(began).Milliseconds())
	return json.Marshal(fetchResult{ArtifactIDs: out.entry.ids(formats), Title: out.entry.Title,
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
