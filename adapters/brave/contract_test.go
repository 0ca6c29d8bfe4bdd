package brave_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/brave"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The contract runs against the strict fake (it checks key, count and freshness as Brave
// does) serving the recorded 20-result page whatever count is asked: capping to
// MaxResults is the client's job.
func TestSearchProviderContract(t *testing.T) {
	t.Parallel()
	contract.SearchProvider(t, func(t *testing.T) ports.SearchProvider {
		return newFake(t, reply{status: 200, fixture: "brave_web_ok.json", headers: okHeaders}).client(t, testKey)
	}, contract.SearchProviderOptions{
		NewNotConfigured: func(t *testing.T) ports.SearchProvider {
			return newFake(t, reply{status: 200, fixture: "brave_web_ok.json"}).client(t, "")
		},
		NewUnavailable: func(t *testing.T) ports.SearchProvider {
			return newFake(t, reply{status: 503, body: `<html>Service Unavailable</html>`}).client(t, testKey)
		},
		NewHanging: func(t *testing.T) ports.SearchProvider {
			c, err := brave.New(brave.Config{APIKey: testKey, URL: hangingServer(t), Timeout: time.Hour})
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
