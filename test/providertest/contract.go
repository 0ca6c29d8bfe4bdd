package providertest

import (
	"testing"
	"time"

	"taskrunner/ports"
	"taskrunner/test/contract"
)

// Contract runs contract.SearchProvider against the adapter over a fake of its API
// serving a.OK whatever is asked, so capping to MaxResults stays the client's job, as
// the suite requires.
func (a Adapter[C]) Contract(t *testing.T) {
	t.Helper()
	over := func(t *testing.T, key string, rep Reply) ports.SearchProvider {
		return a.Client(t, a.Fake(t, rep), key)
	}
	contract.SearchProvider(t, func(t *testing.T) ports.SearchProvider {
		return over(t, a.Key, a.OK)
	}, contract.SearchProviderOptions{
		NewNotConfigured: func(t *testing.T) ports.SearchProvider { return over(t, "", a.OK) },
		NewUnavailable: func(t *testing.T) ports.SearchProvider {
			return over(t, a.Key, Reply{Status: 503, Body: `<html>Service Unavailable</html>`})
		},
		NewHanging: func(t *testing.T) ports.SearchProvider {
			return a.Build(t, Hanging(t), a.Key, time.Hour)
		},
	})
}
