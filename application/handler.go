package application

import (
	"context"
	"encoding/json"

	"taskrunner/domain"
)

// Handler runs one task type.
type Handler interface {
	// Validate checks and normalizes params at submit time. It is pure (limits only, no
	// I/O) and returns a domain.InvalidParams error naming the field ("params.query") when a
	// value is wrong, or domain.InvalidRequest for a wrong JSON shape.
	Validate(params json.RawMessage, limits domain.Limits) (json.RawMessage, error)
	// Run executes one attempt and returns the result object. It must honour ctx (cancel and
	// runtime limit). Errors are *domain.Error with a task error code; Retryable ones are
	// retried while the task has retries left.
	Run(ctx context.Context, t domain.Task) (json.RawMessage, error)
}

// Handlers maps each runnable task type to its handler. Types of the contract that are
// missing here are rejected at submit with 422 naming the type as not available.
type Handlers map[domain.TaskType]Handler
