package exa_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/exa"
	"taskrunner/ports"
	"taskrunner/test/providertest"
)

// The contract runs against the strict fake (it checks key, numResults and date as Exa
// does) serving the recorded page whatever numResults is asked.
func TestSearchProviderContract(t *testing.T) {
	t.Parallel()
	ok := providertest.Reply{Status: 200, Fixture: "exa_search_ok.json"}
	providertest.Contract(t, providertest.Exa(testKey), testKey, ok,
		func(t *testing.T, endpoint, key string, timeout time.Duration) ports.SearchProvider {
			c, err := exa.New(exa.Config{APIKey: key, URL: endpoint, Timeout: timeout})
			require.NoError(t, err)
			return c
		})
}
