package bootstrap

import (
	"go.uber.org/fx"

	"taskrunner/adapters/extract"
	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
)

// newFetcher is the page fetcher with its SSRF guard; its idle connections close on stop.
func newFetcher(lc fx.Lifecycle, c Config) *web.Fetcher {
	f := web.New(web.Config{
		AllowedDomains:       c.Limits.FetchDomainAllowlist,
		AllowedPorts:         c.Limits.FetchAllowedPorts,
		AllowPrivateNetworks: c.FetchAllowPrivate,
		UserAgent:            c.FetchUserAgent,
		Timeout:              c.FetchTimeout,
	})
	lc.Append(fx.StopHook(f.Close))
	return f
}

// addFetchHandler registers fetch_url.
func addFetchHandler(h application.Handlers, p handlerParams) error {
	fh, err := application.NewFetchHandler(application.FetchDeps{
		Fetcher: p.Fetcher, Extractor: extract.New(extract.Config{Log: p.Log}),
		Artifacts: p.Artifacts, Cache: p.Cache, Runs: p.Runs, Clock: p.Clock, IDs: p.IDs,
		CacheTTL: p.Config.FetchCacheTTL, Limits: p.Config.Limits, MaxExtractions: p.Config.ExtractConcurrency,
		Log: p.Log,
	})
	if err != nil {
		return err
	}
	h[domain.TaskFetchURL] = fh
	return nil
}
