package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"taskrunner/adapters/brave"
	"taskrunner/adapters/demosite"
	"taskrunner/adapters/exa"
	"taskrunner/adapters/extract"
	"taskrunner/adapters/markdown"
	"taskrunner/adapters/web"
	"taskrunner/ports"
)

// searchProviderGroup is the value group of search providers: Brave and Exa in every mode,
// demo in memory mode. The core indexes it by name (application.SearchProviders); a test
// swaps one provider by decorating that map or the group.
const searchProviderGroup = `group:"search_providers"`

// outboundModule provides the adapters that reach the web (the search providers, the page
// fetcher) and the extractor, in both modes. Brave and Exa are provided even without a
// key: a search naming one then fails with provider_not_configured rather than as an
// unknown source.
var outboundModule = fx.Module("outbound",
	fx.Provide(
		fx.Annotate(newBrave, fx.As(new(ports.SearchProvider)), fx.ResultTags(searchProviderGroup)),
		fx.Annotate(newExa, fx.As(new(ports.SearchProvider)), fx.ResultTags(searchProviderGroup)),
		newPageFetcher,
		fx.Annotate(newExtractor, fx.As(new(ports.Extractor))),
		fx.Annotate(markdown.New, fx.As(new(ports.PageRenderer))),
	),
)

func newBrave(c Config, clock ports.Clock) (*brave.Client, error) {
	return brave.New(brave.Config{APIKey: c.BraveAPIKey, URL: c.BraveAPIURL, Timeout: c.ProviderTimeout, Clock: clock})
}

func newExa(c Config, clock ports.Clock) (*exa.Client, error) {
	return exa.New(exa.Config{APIKey: c.ExaAPIKey, URL: c.ExaAPIURL, Timeout: c.ProviderTimeout, Clock: clock})
}

// newPageFetcher is the web fetcher, behind the offline demo site in memory mode only
// (DESIGN.md: like the demo search source, the demo pages exist only there).
func newPageFetcher(lc fx.Lifecycle, c Config) ports.PageFetcher {
	f := newFetcher(lc, c)
	if c.Mode == ModeServices {
		return f
	}
	return demosite.New(f)
}

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

func newExtractor(log *slog.Logger) *extract.Extractor {
	return extract.New(extract.Config{Log: log})
}
