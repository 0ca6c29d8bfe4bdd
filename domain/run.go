package domain

import "time"

// Run scopes.
const (
	ScopeSearch = "search"
	ScopeFetch  = "fetch"
)

// RunStatus is how a run ended.
type RunStatus string

// Run statuses.
const (
	RunSucceeded RunStatus = "succeeded" // the work is complete: its artifacts may be reused
	RunPartial   RunStatus = "partial"   // some parts failed (a source, a query of a batch): never reused
	RunFailed    RunStatus = "failed"    // nothing was produced
)

// Run records one processing of a keyed piece of work (a search, a fetch), with metrics and
// notes. Key is scope-prefixed ("search:<hash>") as the predecessor's helpers expect.
type Run struct {
	ID          string
	Scope       string
	Key         string // RunKey(scope, key)
	TaskID      string // "" when not from a task
	Status      RunStatus
	ArtifactIDs []string
	StartedAt   time.Time
	FinishedAt  time.Time
	Metrics     []Metric
	Notes       []Note
}

// Metric is one named measurement of a run (e.g. "brave.latency_ms").
type Metric struct {
	Name  string
	Value float64
}

// Note is free text attached to a run (e.g. why a provider failed).
type Note struct {
	Text      string
	CreatedAt time.Time
}

// RunKey joins a scope and a key the way runs are stored: "scope:key".
func RunKey(scope, key string) string { return scope + ":" + key }
