package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestSameRequestComparesWhatWasAskedFor(t *testing.T) {
	t.Parallel()
	base := func() domain.Task {
		return domain.Task{Type: domain.TaskSearch, Params: json.RawMessage(`{"query":"go","sources":["demo"],"max_results":5}`),
			TimeoutSeconds: 60, MaxRetries: 1, Priority: 2, Callback: domain.NewCallback("https://example.test/hook")}
	}
	first := base()
	for name, change := range map[string]func(*domain.Task){
		"params spelt otherwise": func(x *domain.Task) {
			x.Params = json.RawMessage(` { "max_results" : 5.0, "sources": ["demo"], "query": "go" }`)
		},
		"another run time and status": func(x *domain.Task) { x.Status = domain.StatusScheduled },
	} {
		again := base()
		change(&again)
		require.True(t, domain.SameRequest(&first, &again), name)
	}
	for name, change := range map[string]func(*domain.Task){
		"type": func(x *domain.Task) { x.Type = domain.TaskSearchBatch },
		"a param value": func(x *domain.Task) {
			x.Params = json.RawMessage(`{"query":"rust","sources":["demo"],"max_results":5}`)
		},
		"a param more": func(x *domain.Task) {
			x.Params = json.RawMessage(`{"query":"go","sources":["demo"],"max_results":5,"x":null}`)
		},
		"array order": func(x *domain.Task) {
			x.Params = json.RawMessage(`{"query":"go","sources":["demo","brave"],"max_results":5}`)
		},
		"a big integer": func(x *domain.Task) {
			x.Params = json.RawMessage(`{"query":"go","sources":["demo"],"max_results":5000000000000000001}`)
		},
		"timeout":  func(x *domain.Task) { x.TimeoutSeconds = 61 },
		"retries":  func(x *domain.Task) { x.MaxRetries = 0 },
		"priority": func(x *domain.Task) { x.Priority = 1 },
		"callback": func(x *domain.Task) { x.Callback = nil },
	} {
		again := base()
		change(&again)
		require.False(t, domain.SameRequest(&first, &again), name)
	}
}

func TestSameRequestBoundsNumberWork(t *testing.T) {
	t.Parallel()
	a := domain.Task{Params: json.RawMessage(`{"n":1e999999999}`)}
	b := domain.Task{Params: json.RawMessage(`{"n":2e999999999}`)}
	require.False(t, domain.SameRequest(&a, &b), "out of float range: unequal spellings are different requests")
	c := domain.Task{Params: json.RawMessage(`{"n":5000000000000000001}`)}
	d := domain.Task{Params: json.RawMessage(`{"n":5000000000000000000}`)}
	require.False(t, domain.SameRequest(&c, &d))
	e := domain.Task{Params: json.RawMessage(`{"n":1e2}`)}
	f := domain.Task{Params: json.RawMessage(`{"n":100}`)}
	require.True(t, domain.SameRequest(&e, &f), "jsonb hands 1e2 back as 100")
}
