package application

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// hostWaitInSlot is how long a fetch waits for its host's turn while holding its worker
// slot; a later turn is booked and the task deferred until just before it.
const hostWaitInSlot = 2 * time.Second

// Politeness is how fetches treat the sites they visit.
type Politeness struct {
	// Pacer spaces the fetches of a host (nil: no pacing).
	Pacer ports.HostPacer
	// HostInterval is FETCH_HOST_MIN_INTERVAL_MS: the least time between two fetch
	// starts on one host, raised by the site's Crawl-delay. 0 turns pacing off.
	HostInterval time.Duration
	// RespectRobots is FETCH_RESPECT_ROBOTS.
	RespectRobots bool
	// RobotsTTL is FETCH_ROBOTS_TTL_SECONDS: how long a host's robots.txt is reused.
	RobotsTTL time.Duration
	// UserAgent is FETCH_USER_AGENT; robots.txt groups are matched on its product token.
	UserAgent string
}

// beforeFetch applies robots.txt and host pacing to the fetch of rawURL by task t. It
// returns nil when the fetch may start now, fetch_disallowed_by_robots, or a
// domain.Deferral when the task should come back later.
func (h *FetchHandler) beforeFetch(ctx context.Context, t domain.Task, rawURL string) error {
	pol := h.deps.Politeness
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil // the fetcher refuses it with the right code
	}
	var crawlDelay time.Duration
	if pol.RespectRobots {
		rules, err := h.robotsRules(ctx, u)
		if err != nil {
			return err
		}
		if !rules.Allowed(u.RequestURI()) {
			return domain.NewError(domain.CodeFetchDisallowed, "robots.txt of %s disallows this URL for %q",
				u.Hostname(), h.productToken)
		}
		crawlDelay = rules.CrawlDelay
	}
	if pol.Pacer == nil || pol.HostInterval <= 0 {
		return nil
	}
	return h.pace(ctx, t, u, max(pol.HostInterval, crawlDelay))
}

// pace waits for the host's turn when it is near, or books it and defers the task until
// just before it: the task comes back early enough for queue latency, and waits the rest.
func (h *FetchHandler) pace(ctx context.Context, t domain.Task, u *url.URL, interval time.Duration) error {
	now := h.deps.Clock.Now()
	d, err := h.deps.Politeness.Pacer.Reserve(ctx, domain.PaceRequest{Host: paceHost(u), Holder: t.ID,
		Interval: interval, MaxWait: hostWaitInSlot, Now: now})
	if err != nil {
		return domain.NewError(domain.CodeFetchFailed, "the host pacer is unavailable").WithCause(err).Transient()
	}
	if !d.Granted {
		return domain.DeferUntil(d.At.Add(-hostWaitInSlot/2), "host_busy")
	}
	h.deps.Log.InfoContext(ctx, "fetch_host_turn", "task_id", t.ID, "host", u.Hostname(),
		"start_at", d.At.UTC().Format(time.RFC3339Nano), "interval_ms", interval.Milliseconds())
	if wait := d.At.Sub(now); wait > 0 {
		if !sleepOrDone(ctx, wait) {
			return domain.NewError(domain.CodeFetchFailed, "waiting for the host's turn was interrupted").WithCause(ctx.Err()).Transient()
		}
	}
	return nil
}

// paceHost is the key a host is paced under: its name and port.
func paceHost(u *url.URL) string {
	port, _ := domain.EffectivePort(u.Scheme, u.Port())
	return net.JoinHostPort(strings.ToLower(u.Hostname()), strconv.Itoa(port))
}
