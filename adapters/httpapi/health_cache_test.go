package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/ports"
)

// tallyPinger counts pings and fails while down is set.
type tallyPinger struct {
	calls atomic.Int64
	down  atomic.Bool
}

func (p *tallyPinger) Ping(context.Context) error {
	p.calls.Add(1)
	if p.down.Load() {
		return errStoreDown
	}
	return nil
}

func TestHealthPingsTheServicesOncePerTTL(t *testing.T) {
	t.Parallel()
	store, queue, blobs := &tallyPinger{}, &tallyPinger{}, &tallyPinger{}
	r := setup(t, func(c *rigConfig) {
		c.health = map[string]ports.Pinger{"store": store, "queue": queue, "blobs": blobs}
	})
	for range 100 {
		require.Equal(t, http.StatusOK, r.do("GET", "/health", nil).StatusCode)
	}
	for _, p := range []*tallyPinger{store, queue, blobs} {
		require.EqualValues(t, 1, p.calls.Load(), "100 calls inside the TTL, one round of pings")
	}

	// A failure shows once the kept answer has expired (DefaultHealthCacheTTL, 1 s).
	store.down.Store(true)
	r.clock.Advance(httpapi.DefaultHealthCacheTTL - time.Millisecond)
	require.Equal(t, http.StatusOK, r.do("GET", "/health", nil).StatusCode)
	r.clock.Advance(time.Millisecond)
	resp := r.do("GET", "/health", nil)
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "unavailable", resp.json(t)["checks"].(map[string]any)["store"])
	require.EqualValues(t, 2, store.calls.Load())
}

func TestConcurrentHealthCallsShareOneRound(t *testing.T) {
	t.Parallel()
	store := &tallyPinger{}
	r := setup(t, func(c *rigConfig) { c.health = map[string]ports.Pinger{"store": store} })
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodGet, "/health", nil)
			if err == nil {
				resp, err := r.srv.App().Test(req, 10_000)
				if err == nil {
					_ = resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	require.EqualValues(t, 1, store.calls.Load())
}

func TestHealthCacheCanBeTurnedOff(t *testing.T) {
	t.Parallel()
	store := &tallyPinger{}
	r := setup(t, func(c *rigConfig) {
		c.health = map[string]ports.Pinger{"store": store}
		c.cfg = func(hc *httpapi.Config) { hc.HealthCacheTTL = -1 }
	})
	for range 3 {
		r.do("GET", "/health", nil)
	}
	require.EqualValues(t, 3, store.calls.Load())
}
