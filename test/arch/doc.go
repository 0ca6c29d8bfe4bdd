// Package arch holds tests of the code's shape: the layering rules of DESIGN.md, as a table
// (rules_test.go) that governs every package of the module, the checker that applies it
// (check_test.go), and the checker's own test on synthetic trees. .golangci.yml's depguard
// rules say the same for `make lint`.
//
// In short: the domain imports only the standard library; ports import the domain;
// the application imports ports and the domain; an adapter imports the domain, ports, its
// driver and other libraries, and the libraries adapters share under adapters/internal,
// never another adapter, the application, bootstrap, a test rig or fx (the HTTP API, the
// driving adapter, also imports the application; PostgreSQL the embedded migrations);
// bootstrap imports every layer; cmd imports only bootstrap and its own packages, of
// which the command-line client (cmd/taskrunner/internal/cli) imports only the standard
// library: it speaks the REST API. Tests may use more: require
// (never assert), rapid, goleak and test/; an adapter's tests also the memory adapters,
// the system clock and the demo provider as fixtures; the application's tests also the
// real fetcher and extractor.
package arch
