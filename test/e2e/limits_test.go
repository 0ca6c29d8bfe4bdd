package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
	"taskrunner/test/logcapture"
)

// GET /limits shows the settings as the process read them from its environment: the
// webhook delivery and fetch politeness settings and the default search sources, each set
// here away from its default.
func TestLimitsShowTheConfiguredSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"HTTP_ADDR":                      "127.0.0.1:0",
		"WEBHOOK_MAX_ATTEMPTS":           "5",
		"WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
		"FETCH_HOST_MIN_INTERVAL_MS":     "250",
		"FETCH_RESPECT_ROBOTS":           "false",
		"FETCH_ROBOTS_TTL_SECONDS":       "600",
		"SEARCH_SOURCE_ALLOWLIST":        "brave,exa",
		"EXA_API_KEY":                    "e2e-exa-key", // brave has no key: exa is the default
	}
	c, err := bootstrap.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	c = c.WithMode(c.Mode)   // as `taskrunner dev` does: the default sources follow the mode and keys
	c.WorkerMetricsAddr = "" // off: tests start many workers on one host
	api := apptest.StartAPI(t, c, bootstrap.RoleAll, &logcapture.Buffer{})

	code, b, _ := api.Call(t, http.MethodGet, "/limits", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	got := decode[map[string]any](t, b)
	want := map[string]any{
		"webhook_max_attempts":           float64(5),
		"webhook_allow_private_networks": true,
		"fetch_host_min_interval_ms":     float64(250),
		"fetch_respect_robots":           false,
		"fetch_robots_ttl_seconds":       float64(600),
		"search_default_sources":         []any{"exa"},
	}
	for k, v := range want {
		require.Equal(t, v, got[k], "%s in %s", k, b)
	}
	// The same values the config holds, which the deliverer and the fetcher are built from.
	require.EqualValues(t, c.Webhooks.MaxAttempts, got["webhook_max_attempts"])
	require.EqualValues(t, c.Politeness.HostInterval.Milliseconds(), got["fetch_host_min_interval_ms"])
	require.EqualValues(t, c.Politeness.RobotsTTL.Seconds(), got["fetch_robots_ttl_seconds"])
	require.Equal(t, []any{c.Limits.SearchDefaultSources[0]}, got["search_default_sources"])
	require.NotContains(t, string(b), "e2e-exa-key", "no secret in /limits")
}
