package brave_test

import (
	"testing"
	"time"

	"taskrunner/adapters/brave"
	"taskrunner/test/providertest"
)

// adapter is the client over the strict fake (it checks key, count and freshness as Brave
// does), which serves the recorded page whatever count is asked.
var adapter = providertest.Adapter[*brave.Client]{
	API: providertest.Brave, Key: "test-brave-key-0123456789", KeyVar: "BRAVE_API_KEY",
	Now: time.Date(2026, 11, 28, 14, 3, 7, 0, time.UTC),
	OK:  providertest.Reply{Status: 200, Fixture: "brave_web_ok.json", Headers: okHeaders},
	// Brave answers a wrong key with 422, not 401.
	WrongKeyDetails: map[string]any{"http_status": 422, "provider_code": "SUBSCRIPTION_TOKEN_INVALID"},
	Empty: map[string]providertest.Reply{
		"no web":        {Status: 200, Fixture: "brave_empty.json", Headers: okHeaders},
		"web null":      {Status: 200, Fixture: "brave_web_null.json", Headers: okHeaders},
		"results empty": {Status: 200, Fixture: "brave_web_results_empty.json", Headers: okHeaders},
	},
	New: func(c providertest.Config) (*brave.Client, error) {
		return brave.New(brave.Config{APIKey: c.Key, URL: c.URL, Timeout: c.Timeout, Clock: c.Clock})
	},
	Malformed: map[string]providertest.Reply{
		"truncated": {Status: 200, Body: `{"type":"search","web":{"results":[{"title":"x",`},
		"html":      {Status: 200, Body: `<html><body>Service temporarily blocked</body></html>`},
		"array":     {Status: 200, Body: `[]`},
		"empty":     {Status: 200, Body: ``},
	},
}

func TestSearchProvider(t *testing.T) {
	t.Parallel()
	adapter.Run(t)
}
