// Package ports declares the interfaces the application needs from the outside world, in
// domain terms only: no driver, framework or client type crosses a port. Each port has one
// exported contract suite in test/contract that every adapter (memory and real) must pass.
package ports
