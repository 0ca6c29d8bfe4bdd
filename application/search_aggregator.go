package application

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// aggregator fans one search out to its sources concurrently, each answer cached on its own
// (so a ["brave","exa"] search reuses earlier single-source answers), and merges the
// answers by canonical URL with reciprocal rank fusion.
type aggregator struct {
	providers    SearchProviders
	cache        jsonCache
	clock        ports.Clock
	log          *slog.Logger
	obs          ports.WorkObserver
	timeout      time.Duration
	attempts     int
	retryBase    time.Duration
	maxRetryWait time.Duration
}

// aggregate is the outcome of one fan-out.
type aggregate struct {
	results   []domain.MergedResult
	providers map[string]ProviderReport
	failures  map[string]*domain.Error // by source
	called    int                      // sources whose provider was called (not cached)
}

// complete reports whether every source answered (live or from the cache).
func (a aggregate) complete() bool { return len(a.failures) == 0 }

// allCached reports whether no provider was called at all.
func (a aggregate) allCached() bool { return a.called == 0 && len(a.failures) == 0 }

// sourceAnswer is one source's answer in a fan-out: its results or why it failed, and
// its line of the providers report.
type sourceAnswer struct {
	source  string
	results []domain.SearchResult
	report  ProviderReport
	err     *domain.Error
}

// search queries every source of p. It returns ctx's error when ctx ended, an error when
// every source failed (see allFailed), and otherwise the merged answer with a report per
// source.
func (g *aggregator) search(ctx context.Context, p domain.SearchParams) (aggregate, error) {
	q := domain.SearchQuery{Query: p.Query, RecencyDays: p.RecencyDays, MaxResults: p.MaxResults}
	outs := make([]sourceAnswer, len(p.Sources))
	var wg sync.WaitGroup
	for i, src := range p.Sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = g.askSource(ctx, src, q)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return aggregate{}, err
	}

	agg := aggregate{providers: map[string]ProviderReport{}, failures: map[string]*domain.Error{}}
	lists := make([]domain.SourceResults, 0, len(outs))
	for _, o := range outs {
		agg.providers[o.source] = o.report
		if o.report.Status != ProviderCached {
			agg.called++
		}
		if o.err != nil {
			agg.failures[o.source] = o.err
			continue
		}
		lists = append(lists, domain.SourceResults{Source: o.source, Results: o.results})
	}
	if len(agg.failures) == len(outs) {
		return agg, allFailed(p.Sources, agg.failures)
	}
	agg.results = domain.MergeResults(lists, p.MaxResults)
	if agg.results == nil {
		agg.results = []domain.MergedResult{}
	}
	return agg, nil
}

// askSource answers one source from the cache or its provider, retrying transient failures a
// few times within this attempt (short waits only; longer ones are the task retry's job).
func (g *aggregator) askSource(ctx context.Context, src string, q domain.SearchQuery) sourceAnswer {
	key := domain.SearchProviderCacheKey(src, q)
	var cached []domain.SearchResult
	if g.cache.get(ctx, key, &cached) {
		if cached == nil {
			cached = []domain.SearchResult{}
		}
		return sourceAnswer{source: src, results: cached,
			report: ProviderReport{Status: ProviderCached, ResultCount: len(cached)}}
	}
	p, ok := g.providers[src]
	if !ok {
		err := domain.NewError(domain.CodeProviderNotConfigured, "search source %s is not configured in this deployment", src)
		return sourceAnswer{source: src, err: err, report: failedReport(err, 0, 0)}
	}
	began := g.clock.Now()
	for attempt := 1; ; attempt++ {
		callCtx, cancel := context.WithTimeout(ctx, g.timeout)
		called := g.clock.Now()
		res, err := p.Search(callCtx, q)
		timedOut := errors.Is(callCtx.Err(), context.DeadlineExceeded)
		cancel()
		now := g.clock.Now()
		latency := now.Sub(began).Milliseconds()
		if err == nil {
			g.obs.ProviderCalled(src, "ok", now.Sub(called))
			if res == nil {
				res = []domain.SearchResult{}
			}
			g.cache.set(ctx, key, res)
			return sourceAnswer{source: src, results: res,
				report: ProviderReport{Status: ProviderOK, ResultCount: len(res), LatencyMS: latency, Attempts: attempt}}
		}
		de := asProviderError(src, err, timedOut && ctx.Err() == nil, g.timeout)
		g.obs.ProviderCalled(src, string(de.Code), now.Sub(called))
		if ctx.Err() == nil {
			g.log.WarnContext(ctx, "search_provider_failed", "source", src, "attempt", attempt,
				"code", string(de.Code), "retryable", de.Retryable, "retry_after_s", domain.WholeSeconds(de.RetryAfter), "message", de.Message)
		}
		wait := g.retryWait(attempt, de)
		if ctx.Err() != nil || !de.Retryable || attempt >= g.attempts || wait > g.maxRetryWait || !sleepOrDone(ctx, wait) {
			return sourceAnswer{source: src, err: de, report: failedReport(de, latency, attempt)}
		}
	}
}

// retryWait is the provider's Retry-After when it gave one, else exponential backoff.
func (g *aggregator) retryWait(attempt int, e *domain.Error) time.Duration {
	if e.RetryAfter > 0 {
		return e.RetryAfter
	}
	return domain.Backoff(attempt, g.retryBase, 4*g.retryBase, rand.Float64())
}

// asProviderError makes sure a provider's failure is a *domain.Error naming the source: the
// port promises one, but a timeout surfacing as a bare context error, or a bug, must not
// turn into an internal error.
func asProviderError(src string, err error, timedOut bool, timeout time.Duration) *domain.Error {
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	if timedOut {
		return domain.NewError(domain.CodeProviderError, "%s did not answer within %s", src, timeout).Transient().WithCause(err)
	}
	return domain.NewError(domain.CodeProviderError, "%s failed unexpectedly", src).WithCause(err)
}

func failedReport(e *domain.Error, latency int64, attempts int) ProviderReport {
	return ProviderReport{Status: ProviderError, LatencyMS: latency, Attempts: attempts,
		Error: &ProviderFailure{Code: e.Code, Message: e.Message, Retryable: e.Retryable}}
}

// allFailed is the task error when no source answered: provider_not_configured when none
// of them is configured, else provider_error, retryable when any failure was, after the
// longest Retry-After any source asked for.
func allFailed(sources []string, failures map[string]*domain.Error) *domain.Error {
	parts := make([]string, 0, len(sources))
	code := domain.CodeProviderNotConfigured
	retryable, after := false, time.Duration(0)
	for _, s := range sources {
		f := failures[s]
		parts = append(parts, f.Message)
		if f.Code != domain.CodeProviderNotConfigured {
			code = domain.CodeProviderError
		}
		if f.Retryable {
			retryable = true
			after = max(after, f.RetryAfter)
		}
	}
	msg := "every search source failed: "
	if code == domain.CodeProviderNotConfigured {
		msg = "no requested search source is configured: "
	}
	e := domain.NewError(code, "%s%s", msg, strings.Join(parts, "; ")).WithDetail("sources", sources)
	if retryable {
		e.Transient()
		e.RetryAfter = after
	}
	return e
}
