package arch

// The layering of DESIGN.md as data. Imports point inward: adapters → ports → domain,
// application → ports and domain, bootstrap wires everything, cmd only calls bootstrap.
// .golangci.yml's depguard rules say the same for `make lint` (TestDepguardHasEveryRule
// keeps the names in step); this table is what `make test` enforces.
//
// Patterns: "$std" is the standard library, "$external" any module but ours (drivers,
// frameworks), "taskrunner/x" one package, "taskrunner/x/..." x and every package below.

// testKit is what every package's tests may use: require (never assert: a failed check
// must stop the test), property tests, goroutine-leak checks and the rigs under test/.
var testKit = []string{
	"github.com/stretchr/testify/...", "pgregory.net/rapid", "go.uber.org/goleak", "taskrunner/test/...",
}

// forbidden holds imports no file may use, whatever its rule allows, and why.
var forbidden = map[string]string{
	"github.com/stretchr/testify/assert": "we use require: a failed check stops the test",
}

// adapterBase is what every adapter may import: the core's types and contracts, its own
// driver and other libraries, and the libraries adapters share under adapters/internal
// (Go's internal rule keeps those to adapters). Never another adapter: two adapters meet
// only through a port, wired by bootstrap, so either can be replaced alone.
var adapterBase = []string{"$std", "$external", "taskrunner/domain", "taskrunner/ports", "taskrunner/adapters/internal/..."}

// adapterDeny: constructors stay plain functions usable without fx (STYLE.md 14).
var adapterDeny = []string{"go.uber.org/fx/..."}

// adapterTests are the in-process adapters an adapter's tests may build a rig from: the
// memory stores, the system clock, the offline search provider and the cron parser (pure
// computation). They are fixtures there, not dependencies of the adapter.
var adapterTests = append([]string{
	"taskrunner/adapters/memory", "taskrunner/adapters/sysclock", "taskrunner/adapters/demo",
	"taskrunner/adapters/cronexpr",
}, testKit...)

// rules governs every package of the module: the rule with the most specific pkgs pattern
// governs a package, and a package no rule governs fails the test, so a new layer comes
// with its rule. A package's own tests may always import it (an external test package).
var rules = []rule{
	{
		name: "domain", pkgs: "taskrunner/domain/...",
		allow: []string{"$std", "taskrunner/domain/..."},
		// x/net/idna is the reference the domain's punycode encoder is checked against.
		tests: append([]string{"golang.org/x/net/idna"}, testKit...),
		why:   "the domain is pure: entities and rules, no I/O, only the standard library",
	},
	{
		name: "ports", pkgs: "taskrunner/ports/...",
		allow: []string{"$std", "taskrunner/domain/...", "taskrunner/ports/..."},
		tests: testKit,
		why:   "ports speak in domain terms: no driver or framework type crosses a port",
	},
	{
		name: "application", pkgs: "taskrunner/application/...",
		allow: []string{"$std", "taskrunner/domain/...", "taskrunner/ports/...", "taskrunner/application/..."},
		// The fetch handler's tests drive the real fetcher, extractor and renderer against a local
		// server; the scheduler's parse real cron expressions; the webhook deliverer's tests
		// send through the real sender and encode with the API's own task serializer; the
		// rest run on the memory adapters.
		tests: append([]string{
			"taskrunner/adapters/memory", "taskrunner/adapters/sysclock",
			"taskrunner/adapters/web", "taskrunner/adapters/extract", "taskrunner/adapters/markdown", "taskrunner/adapters/cronexpr",
			"taskrunner/adapters/httpapi",
		}, testKit...),
		why: "use cases do I/O only through ports, so they run unchanged on every adapter",
	},
	{
		name: "adapters", pkgs: "taskrunner/adapters/...",
		allow: adapterBase, deny: adapterDeny, tests: adapterTests,
		why: "an adapter implements ports with its driver and never reaches into another adapter, the application or the wiring",
	},
	{
		name: "httpapi", pkgs: "taskrunner/adapters/httpapi",
		allow: append([]string{"taskrunner/application"}, adapterBase...), deny: adapterDeny,
		tests: adapterTests,
		why:   "the HTTP API is the driving adapter: it calls the use cases, and is an adapter otherwise",
	},
	{
		name: "webui", pkgs: "taskrunner/adapters/webui",
		allow: append([]string{"taskrunner/application"}, adapterBase...), deny: adapterDeny,
		tests: adapterTests,
		why:   "the dashboard is a driving adapter like the HTTP API: its pages call the use cases",
	},
	{
		name: "postgres", pkgs: "taskrunner/adapters/postgres",
		allow: append([]string{"taskrunner/migrations"}, adapterBase...), deny: adapterDeny,
		tests: adapterTests,
		why:   "the PostgreSQL adapter runs the embedded schema, and is an adapter otherwise",
	},
	{
		name: "bootstrap", pkgs: "taskrunner/bootstrap/...",
		allow: []string{
			"$std", "$external", "taskrunner/domain/...", "taskrunner/ports/...", "taskrunner/application/...",
			"taskrunner/adapters/...", "taskrunner/migrations", "taskrunner/bootstrap/...",
		},
		tests: testKit,
		why:   "the composition root wires every layer, but never the test rigs or a command",
	},
	{
		name: "cmd", pkgs: "taskrunner/cmd/...",
		allow: []string{"$std", "$external", "taskrunner/bootstrap", "taskrunner/cmd/..."},
		tests: testKit,
		why:   "a command parses its arguments and calls bootstrap, which owns the wiring, or its own internal packages",
	},
	{
		// The client's tests start a real stack (test/apptest, configured through bootstrap)
		// to run every command against.
		name: "cli", pkgs: "taskrunner/cmd/taskrunner/internal/cli",
		allow: []string{"$std"},
		tests: append([]string{"taskrunner/bootstrap"}, testKit...),
		why:   "the command-line client speaks only the REST API, so it imports nothing of the server",
	},
	{
		name: "migrations", pkgs: "taskrunner/migrations",
		allow: []string{"$std"},
		why:   "the schema is SQL files embedded as data",
	},
	{
		name: "test", pkgs: "taskrunner/test/...",
		allow: []string{
			"$std", "$external", "taskrunner/domain/...", "taskrunner/ports/...", "taskrunner/application/...",
			"taskrunner/adapters/...", "taskrunner/bootstrap/...", "taskrunner/migrations", "taskrunner/test/...",
		},
		tests: testKit,
		why:   "the test rigs may build anything from the layers, but no command",
	},
}
