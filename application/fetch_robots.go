package application

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"taskrunner/domain"
)

// How robots.txt that cannot be fetched is treated. RFC 9309 section 2.3.1.4: while a
// server error or a network failure keeps the file out of reach, the site counts as
// disallowed; the fetch is tried again later. robotsRecheck is how often the file is
// asked for again meanwhile (the tasks waiting for it are deferred until then);
// robotsGiveUp is when a task stops waiting and fails (transiently, so its retries
// apply).
const (
	robotsRecheck = time.Minute
	robotsGiveUp  = 30 * time.Minute
)

// robotsEntry is what the cache keeps per origin: the rules for our product token, or
// since when the file has been out of reach.
type robotsEntry struct {
	Rules     domain.RobotsRules `json:"rules"`
	DownSince *time.Time         `json:"down_since,omitempty"`
	CheckedAt time.Time          `json:"checked_at"`
}

// robotsRules returns the robots.txt rules that apply to u for our User-Agent, from the
// cache or fetched through the page fetcher (and so its guards). A 4xx (or a file that is
// not text) allows everything; a 5xx, 429, timeout or network error defers the task to
// robotsRecheck later, or fails it once the file has been out of reach for robotsGiveUp.
func (h *FetchHandler) robotsRules(ctx context.Context, u *url.URL) (domain.RobotsRules, error) {
	origin := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	key := "robots:" + origin
	now := h.deps.Clock.Now()
	var e robotsEntry
	cached := h.getRobots(ctx, key, &e)
	if cached && e.DownSince == nil {
		return e.Rules, nil
	}
	if cached && now.Before(e.CheckedAt.Add(robotsRecheck)) {
		return domain.RobotsRules{}, h.robotsDown(*e.DownSince, e.CheckedAt.Add(robotsRecheck), now, u.Host)
	}
	page, err := h.deps.Fetcher.Fetch(ctx, domain.FetchRequest{URL: origin + "/robots.txt",
		MaxBytes: domain.MaxRobotsBytes, Truncate: true})
	var de *domain.Error
	switch {
	case err == nil:
		e = robotsEntry{Rules: domain.ParseRobots(page.Body, h.productToken), CheckedAt: now}
	case errors.As(err, &de) && de.Code == domain.CodeFetchBlocked:
		return domain.RobotsRules{}, err // the page is behind the same guard
	case ctx.Err() != nil:
		return domain.RobotsRules{}, domain.NewError(domain.CodeFetchFailed, "reading robots.txt was interrupted").WithCause(err).Transient()
	case domain.IsRetryable(err):
		since := now
		if cached && e.DownSince != nil {
			since = *e.DownSince
		}
		e = robotsEntry{DownSince: &since, CheckedAt: now}
		h.setRobots(ctx, key, e, robotsGiveUp+robotsRecheck)
		h.deps.Log.InfoContext(ctx, "robots_unreachable", "host", u.Hostname(), "code", string(domain.CodeOf(err)))
		return domain.RobotsRules{}, h.robotsDown(since, now.Add(robotsRecheck), now, u.Host)
	default:
		// 4xx, not text, not found, a certificate refused: "unavailable", which RFC 9309
		// treats as no rules. The page fetch meets any network trouble itself.
		e = robotsEntry{CheckedAt: now}
	}
	h.setRobots(ctx, key, e, h.deps.Politeness.RobotsTTL)
	return e.Rules, nil
}

// robotsDown defers the task until retryAt, or fails it when the file has been out of
// reach since since for robotsGiveUp.
func (h *FetchHandler) robotsDown(since, retryAt, now time.Time, host string) error {
	if now.Sub(since) >= robotsGiveUp {
		return domain.NewError(domain.CodeFetchFailed, "robots.txt of %s has been unreachable for %d minutes", host,
			int(now.Sub(since)/time.Minute)).Transient()
	}
	return domain.DeferUntil(retryAt, "robots_unreachable")
}

func (h *FetchHandler) getRobots(ctx context.Context, key string, e *robotsEntry) bool {
	b, ok, err := h.deps.Cache.Get(ctx, key)
	if err != nil || !ok {
		return false
	}
	return json.Unmarshal(b, e) == nil
}

func (h *FetchHandler) setRobots(ctx context.Context, key string, e robotsEntry, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	if err := h.deps.Cache.Set(ctx, key, b, ttl); err != nil {
		h.deps.Log.WarnContext(ctx, "robots_cache_failed", "error", err.Error())
	}
}
