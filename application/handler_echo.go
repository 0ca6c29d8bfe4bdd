package application

import (
	"bytes"
	"context"
	"encoding/json"

	"taskrunner/domain"
)

// EchoHandler runs `echo` tasks: the result is the params, unchanged. It exists to exercise
// the whole pipeline (and to benchmark it) without doing any work of its own.
type EchoHandler struct{}

var _ Handler = EchoHandler{}

// NewEchoHandler returns the echo handler.
func NewEchoHandler() EchoHandler { return EchoHandler{} }

// Validate accepts any JSON object.
func (EchoHandler) Validate(params json.RawMessage, _ domain.Limits) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(params)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, domain.InvalidRequest("params", "params of an echo task must be a JSON object")
	}
	return json.RawMessage(trimmed), nil
}

// Run returns the params as the result.
func (EchoHandler) Run(_ context.Context, t domain.Task) (json.RawMessage, error) {
	return t.Params, nil
}
