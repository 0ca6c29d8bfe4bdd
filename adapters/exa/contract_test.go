package exa_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/exa"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The contract runs against the strict fake (it checks key, numResults and date as Exa
// does) serving the recorded page whatever numResults is asked: capping to
// MaxResults is the client's job.
func TestSearchProviderContract(t *testing.T) {
	t.Parallel()
	contract.SearchProvider(t, func(t *testing.T) ports.SearchProvider {
		return newFake(t, reply{status: 200, fixture: "exa_search_ok.json"}).client(t, testKey)
	}, contract.SearchProviderOptions{
		NewNotConfigured: func(t *testing.T) ports.SearchProvider {
			return newFake(t, reply{status: 200, fixture: "exa_search_ok.json"}).client(t, "")
		},
		NewUnavailable: func(t *testing.T) ports.SearchProvider {
			return newFake(t, reply{status: 503, body: `<html>Service Unavailable</html>`}).client(t, testKey)
		},
		NewHanging: func(t *testing.T) ports.SearchProvider {
			c, err := exa.New(exa.Config{APIKey: testKey, URL: hangingServer(t), Timeout: time.Hour})
			require.NoError(t, err)
			return c
		},
	})
}

// hangingServer accepts requests and answers none until the client gives up or the test
// ends; it returns the server's URL.
func hangingServer(t *testing.T) string {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: Close waits for handlers
	return srv.URL
}
