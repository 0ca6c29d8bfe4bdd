package providertest

import (
	"testing"
	"time"

	"taskrunner/ports"
	"taskrunner/test/contract"
)

// NewProvider builds the adapter under test for an endpoint URL, an API key and a
// request timeout.
type NewProvider func(t *testing.T, endpoint, key string, timeout time.Duration) ports.SearchProvider

// Contract runs contract.SearchProvider against an adapter over a fake of api (whose
// valid key is key): ok is a working backend's answer, served whatever is asked, so
// capping to MaxResults stays the client's job, as the suite requires.
func Contract(t *testing.T, api API, key string, ok Reply, newProvider NewProvider) {
	t.Helper()
	over := func(t *testing.T, key string, rep Reply) ports.SearchProvider {
		return newProvider(t, New(t, api, rep).Endpoint(), key, 2*time.Second)
	}
	contract.SearchProvider(t, func(t *testing.T) ports.SearchProvider {
		return over(t, key, ok)
	}, contract.SearchProviderOptions{
		NewNotConfigured: func(t *testing.T) ports.SearchProvider { return over(t, "", ok) },
		NewUnavailable: func(t *testing.T) ports.SearchProvider {
			return over(t, key, Reply{Status: 503, Body: `<html>Service Unavailable</html>`})
		},
		NewHanging: func(t *testing.T) ports.SearchProvider {
			return newProvider(t, Hanging(t), key, time.Hour)
		},
	})
}
