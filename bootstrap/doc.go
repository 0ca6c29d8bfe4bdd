// Package bootstrap is taskrunner's composition root: it reads the configuration from the
// environment once, and wires adapters, services and their lifecycles with fx, for memory
// mode (one process, in-memory adapters) and services mode (PostgreSQL, Redis, MinIO).
package bootstrap
