package brave_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/brave"
	"taskrunner/ports"
	"taskrunner/test/providertest"
)

// The contract runs against the strict fake (it checks key, count and freshness as Brave
// does) serving the recorded page whatever count is asked.
func TestSearchProviderContract(t *testing.T) {
	t.Parallel()
	ok := providertest.Reply{Status: 200, Fixture: "brave_web_ok.json", Headers: okHeaders}
	providertest.Contract(t, providertest.Brave(testKey), testKey, ok,
		func(t *testing.T, endpoint, key string, timeout time.Duration) ports.SearchProvider {
			c, err := brave.New(brave.Config{APIKey: key, URL: endpoint, Timeout: timeout})
			require.NoError(t, err)
			return c
		})
}
