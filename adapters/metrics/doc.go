// Package metrics exposes taskrunner's Prometheus metrics from one registry it owns: task
// counts by type and status and the queue depth (both read from the ports, so every API
// process reports the shared truth, and each read kept for Config.CacheTTL so that scrapes
// stay cheap), task attempt durations (it is the workers' ports.TaskObserver), HTTP
// request counts and latencies (it is the HTTP API's ports.RequestObserver; bootstrap
// hands Handler to the API for /metrics), and the Go runtime and process collectors.
package metrics
