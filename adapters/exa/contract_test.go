package exa_test

import (
	"testing"
	"time"

	"taskrunner/adapters/exa"
	"taskrunner/test/providertest"
)

// adapter is the client over the strict fake (it checks key, numResults and date as Exa
// does), which serves the recorded page whatever numResults is asked.
var adapter = providertest.Adapter[*exa.Client]{
	API: providertest.Exa, Key: "test-exa-key-9876543210", KeyVar: "EXA_API_KEY",
	Now: time.Date(2026, 11, 28, 14, 3, 7, 123e6, time.UTC),
	OK:  providertest.Reply{Status: 200, Fixture: "exa_search_ok.json"},
	WrongKeyDetails: map[string]any{
		"http_status": 401, "provider_code": "INVALID_API_KEY", "request_id": "e3b1c6f08a9d24757c1f0e6a2b8d9c41",
	},
	Empty: map[string]providertest.Reply{"results empty": {Status: 200, Fixture: "exa_empty.json"}},
	New: func(c providertest.Config) (*exa.Client, error) {
		return exa.New(exa.Config{APIKey: c.Key, URL: c.URL, Timeout: c.Timeout, Clock: c.Clock})
	},
	Malformed: map[string]providertest.Reply{
		"truncated":  {Status: 200, Body: `{"requestId":"x","results":[{"url":"https://e.com"`},
		"html":       {Status: 200, Body: `<!doctype html><p>gateway</p>`},
		"no results": {Status: 200, Fixture: "exa_no_results_field.json"},
		"null":       {Status: 200, Body: `null`},
	},
}

func TestSearchProvider(t *testing.T) {
	t.Parallel()
	adapter.Run(t)
}
