package demo_test

import (
	"testing"

	"taskrunner/adapters/demo"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The demo provider has no key and no backend, so it is always configured and only the
// common subtests apply.
func TestSearchProviderContract(t *testing.T) {
	t.Parallel()
	contract.SearchProvider(t, func(*testing.T) ports.SearchProvider { return demo.New(demo.Config{}) },
		contract.SearchProviderOptions{})
}
