package bootstrap

import (
	"fmt"

	"go.uber.org/fx"

	"taskrunner/ports"
)

// healthGroup is the value group of GET /health's checks. Each mode module adds one check
// per backing service with healthCheck; the API collects them with newHealthChecks.
const healthGroup = `group:"health"`

// namedPinger is one check of GET /health: the name the JSON reports it under ("store",
// "queue", "blobs") and the adapter it pings. It carries its own name because members of
// an fx value group have none.
type namedPinger struct {
	name  string
	probe ports.Pinger
}

// healthCheck adds the T of the graph (the adapter in front of a backing service) to
// /health under name. T is checked to be a ports.Pinger when this compiles, not found by a
// type assertion at run time.
func healthCheck[T ports.Pinger](name string) any {
	return fx.Annotate(func(p T) namedPinger { return namedPinger{name: name, probe: p} }, fx.ResultTags(healthGroup))
}

// newHealthChecks indexes the group by name, refusing two checks under one name (a
// module wired twice would otherwise hide one of them).
func newHealthChecks(checks []namedPinger) (map[string]ports.Pinger, error) {
	out := make(map[string]ports.Pinger, len(checks))
	for _, c := range checks {
		if _, dup := out[c.name]; dup {
			return nil, fmt.Errorf("bootstrap: two health checks named %q", c.name)
		}
		out[c.name] = c.probe
	}
	return out, nil
}
