// Package domain holds taskrunner's entities and pure rules: tasks and their legal state
// transitions, limits, artifacts, runs, search results and coded errors. It does no I/O and
// imports only the standard library, so every rule here is testable as a plain function.
package domain
