package httpapi_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
)

// clientOf submits a task over TCP (the peer is 127.0.0.1) with the given X-Forwarded-For
// and returns the client identity stored on it.
func (r *rig) clientOf(xff string) string {
	r.t.Helper()
	resp := r.do("POST", "/tasks", `{"type":"echo"}`, "X-Forwarded-For", xff)
	require.Equal(r.t, http.StatusAccepted, resp.StatusCode, string(resp.body))
	stored, err := r.store.Get(r.t.Context(), resp.json(r.t)["id"].(string))
	require.NoError(r.t, err)
	return stored.ClientID
}

func TestForwardedForIsIgnoredWithoutTrustedProxies(t *testing.T) {
	t.Parallel()
	r := setup(t)
	r.goLive()
	require.Equal(t, "127.0.0.1", r.clientOf("203.0.113.7"))
	require.Equal(t, "127.0.0.1", r.clientOf(""))
}

func TestTrustedProxiesForwardTheClientAddress(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.cfg = func(hc *httpapi.Config) {
			hc.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
		}
	})
	r.goLive()
	for xff, want := range map[string]string{
		"203.0.113.7":                         "203.0.113.7",
		"198.51.100.1, 203.0.113.7":           "203.0.113.7", // the left entry is the client's own claim
		"198.51.100.1, 203.0.113.7, 10.1.2.3": "203.0.113.7", // a second proxy of ours is skipped
		"203.0.113.7,10.1.2.3,10.9.9.9":       "203.0.113.7", // without spaces
		"[2001:db8::7]:4711, 10.1.2.3":        "2001:db8::7", // bracketed with a port
		"203.0.113.7:51000":                   "203.0.113.7", // with a port
		"10.1.2.3":                            "10.1.2.3",    // every hop trusted: the farthest
		"not-an-address":                      "127.0.0.1",   // nothing usable: the proxy itself
		"203.0.113.7, garbage":                "127.0.0.1",   // garbage where our proxy writes
		"":                                    "127.0.0.1",   // a direct request from the proxy host
		"::ffff:203.0.113.9":                  "203.0.113.9", // IPv4-mapped reads as IPv4
	} {
		require.Equal(t, want, r.clientOf(xff), xff)
	}
}

// Behind a proxy, anonymous clients get a bucket each instead of sharing the proxy's.
func TestRateLimitPerForwardedClient(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) {
		c.limits.TasksPerMinute = 1
		c.cfg = func(hc *httpapi.Config) { hc.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} }
	})
	r.goLive()
	submit := func(xff string) int {
		return r.do("POST", "/tasks", `{"type":"echo"}`, "X-Forwarded-For", xff).StatusCode
	}
	require.Equal(t, http.StatusAccepted, submit("203.0.113.1"))
	require.Equal(t, http.StatusTooManyRequests, submit("203.0.113.1"))
	require.Equal(t, http.StatusAccepted, submit("203.0.113.2"))
	require.Equal(t, http.StatusTooManyRequests, submit("198.51.100.9, 203.0.113.2"), "a forged left entry changes nothing")
}

// An idempotent replay creates nothing, so it takes no slot of the rate limit and is
// answered even when the client has no slot left.
func TestIdempotentReplayTakesNoRateLimitSlot(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.limits.TasksPerMinute = 2 })
	keyed := `{"type":"echo","idempotency_key":"retry-me"}`
	first := r.do("POST", "/tasks", keyed)
	require.Equal(t, http.StatusAccepted, first.StatusCode)
	for range 5 {
		replay := r.do("POST", "/tasks", keyed)
		require.Equal(t, http.StatusOK, replay.StatusCode, string(replay.body))
		require.Equal(t, first.json(t)["id"], replay.json(t)["id"])
	}
	require.Equal(t, http.StatusAccepted, r.do("POST", "/tasks", `{"type":"echo"}`).StatusCode, "the second slot is still free")
	require.Equal(t, http.StatusTooManyRequests, r.do("POST", "/tasks", `{"type":"echo"}`).StatusCode)
	require.Equal(t, http.StatusOK, r.do("POST", "/tasks", keyed).StatusCode, "a replay is answered with no slot left")
}
