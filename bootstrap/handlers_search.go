package bootstrap

import (
	"taskrunner/adapters/brave"
	"taskrunner/adapters/demo"
	"taskrunner/adapters/exa"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// addSearchHandlers registers search and search_batch over Brave and Exa (registered even
// without keys, so a search naming them fails with provider_not_configured rather than as
// an unknown source) and, in memory mode only, the offline demo provider.
func addSearchHandlers(h application.Handlers, p handlerParams) error {
	c := p.Config
	b, err := brave.New(brave.Config{APIKey: c.BraveAPIKey, URL: c.BraveAPIURL, Timeout: c.ProviderTimeout, Clock: p.Clock})
	if err != nil {
		return err
	}
	e, err := exa.New(exa.Config{APIKey: c.ExaAPIKey, URL: c.ExaAPIURL, Timeout: c.ProviderTimeout, Clock: p.Clock})
	if err != nil {
		return err
	}
	list := []ports.SearchProvider{b, e}
	if c.Mode == ModeMemory {
		list = append(list, demo.New(demo.Config{Clock: p.Clock}))
	}
	providers, err := application.NewSearchProviders(list...)
	if err != nil {
		return err
	}
	deps := application.SearchDeps{
		Providers: providers, Cache: p.Cache, Runs: p.Runs, Artifacts: p.Artifacts, Clock: p.Clock,
		IDs: p.IDs, Log: p.Log, CacheTTL: c.SearchCacheTTL, ProviderTimeout: c.ProviderTimeout,
	}
	search, err := application.NewSearchHandler(deps)
	if err != nil {
		return err
	}
	batch, err := application.NewSearchBatchHandler(deps)
	if err != nil {
		return err
	}
	h[domain.TaskSearch] = search
	h[domain.TaskSearchBatch] = batch
	return nil
}
