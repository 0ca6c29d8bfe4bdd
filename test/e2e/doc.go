// Package e2e drives the whole application over HTTP: the fx app started in-process, in
// memory mode and in services mode (api and worker as separate apps over PostgreSQL, Redis
// and S3), through every flow of API.md, with every response checked against the served
// OpenAPI document.
package e2e
