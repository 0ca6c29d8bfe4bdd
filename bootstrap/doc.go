// Package bootstrap is taskrunner's composition root: it reads the configuration from the
// environment once, and wires adapters, services and their lifecycles with fx, for memory
// mode (one process, in-memory adapters) and services mode (PostgreSQL, Redis, MinIO).
//
// Wiring rules, so that a test can replace any part with fx.Decorate or fx.Replace:
//   - every adapter is a node of the graph, provided one way:
//     fx.Annotate(constructor, fx.As(new(ports.X))), plus fx.As(fx.Self()) where another
//     node needs the concrete type. The constructor is the adapter's own New, or a small
//     function here that maps Config onto the adapter's configuration;
//   - constructors do no I/O: backing services are reached in OnStart hooks, within the
//     start context, so SIGINT during a slow connect ends start-up;
//   - collections are value groups: search providers (searchProviderGroup) and the checks
//     of GET /health (healthGroup, added with healthCheck);
//   - coreModule (the application services and task handlers) sees ports only.
package bootstrap
