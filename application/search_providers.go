package application

import (
	"fmt"

	"taskrunner/ports"
)

// SearchProviders maps a source name ("brave", "exa", "demo") to its provider. A source
// that is allowed but missing here fails with provider_not_configured, like a provider
// without a key.
type SearchProviders map[string]ports.SearchProvider

// NewSearchProviders indexes providers by Name, rejecting nil ones and duplicate names.
func NewSearchProviders(ps ...ports.SearchProvider) (SearchProviders, error) {
	out := SearchProviders{}
	for _, p := range ps {
		if p == nil {
			return nil, fmt.Errorf("application: nil search provider")
		}
		if _, dup := out[p.Name()]; dup {
			return nil, fmt.Errorf("application: two search providers named %q", p.Name())
		}
		out[p.Name()] = p
	}
	return out, nil
}
