package domain

import (
	"errors"
	"fmt"
	"time"
)

// Code is a machine-readable error code from API.md. It travels with an error from the place
// that knows what went wrong to the HTTP adapter, which maps it to a status in one table.
type Code string

// Error codes of the REST contract (API.md) and of failed tasks.
const (
	CodeInvalidRequest        Code = "invalid_request"
	CodeInvalidParams         Code = "task_rejected_invalid_params"
	CodeUnauthorized          Code = "unauthorized"
	CodeTaskNotFound          Code = "task_not_found"
	CodeArtifactNotFound      Code = "artifact_not_found"
	CodeScheduleNotFound      Code = "schedule_not_found"
	CodeTaskAlreadyFinished   Code = "task_already_finished"
	CodeArtifactSizeExceeded  Code = "artifact_size_exceeded"
	CodeRateLimitExceeded     Code = "rate_limit_exceeded"
	CodeUnavailable           Code = "unavailable"
	CodeInternal              Code = "internal"
	CodeTaskRuntimeExceeded   Code = "task_runtime_exceeded"
	CodeTaskCancelled         Code = "task_cancelled"
	CodeProviderError         Code = "provider_error"
	CodeProviderNotConfigured Code = "provider_not_configured"
	CodeFetchFailed           Code = "fetch_failed"
	CodeFetchBlocked          Code = "fetch_blocked"
	CodeFetchUnsupported      Code = "fetch_unsupported_content"
	// CodeFetchDisallowed: the site's robots.txt disallows the URL for our User-Agent.
	CodeFetchDisallowed Code = "fetch_disallowed_by_robots"
	// CodeIdempotencyKeyConflict: an idempotency key reused with a different request.
	CodeIdempotencyKeyConflict Code = "idempotency_key_conflict"
	// CodeUnsupportedMediaType: a request body in a Content-Type or Content-Encoding the
	// route does not read.
	CodeUnsupportedMediaType Code = "unsupported_media_type"
)

// Sentinels that adapters return and callers match with errors.Is.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change is not legal from the record's current state.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: a backing service could not be reached; nothing was written.
	ErrUnavailable = errors.New("backing service unavailable")
	// ErrLeaseLost: the queue lease is no longer held by the caller.
	ErrLeaseLost = errors.New("lease lost")
	// ErrInvalidValue: the store refused a value it cannot hold (a NUL, bytes that are not
	// UTF-8, a number out of range); the data is at fault, not the store, and a retry with
	// the same data fails the same way.
	ErrInvalidValue = errors.New("value cannot be stored")
)

// Error is an error that carries an API code, a human message and optional details
// (for validation errors, details["field"] names the offending field).
//
// Retryable marks a task failure as transient (network, provider 5xx/429, runtime exceeded):
// the worker retries such failures while the task has retries left. RetryAfter, when set,
// is how long to wait before a retry makes sense (a server's Retry-After; see
// RetryAfterSeconds); the HTTP API shows it in whole seconds.
type Error struct {
	Code       Code
	Message    string
	Details    map[string]any
	Retryable  bool
	RetryAfter time.Duration // 0 when unknown
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap exposes the cause so that errors.Is(err, ErrNotFound) and friends keep working.
func (e *Error) Unwrap() error { return e.cause }

// NewError returns an Error with the code and a formatted message.
func NewError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithCause attaches an underlying error (kept for errors.Is/As, never shown to API clients).
func (e *Error) WithCause(err error) *Error {
	e.cause = err
	return e
}

// WithDetail sets one entry of Details.
func (e *Error) WithDetail(key string, value any) *Error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details[key] = value
	return e
}

// Transient marks the error as retryable.
func (e *Error) Transient() *Error {
	e.Retryable = true
	return e
}

// InvalidRequest is a 400: the body is not JSON, a field has the wrong type, unknown task type.
func InvalidRequest(field, format string, args ...any) *Error {
	e := NewError(CodeInvalidRequest, format, args...)
	if field != "" {
		e.WithDetail("field", field)
	}
	return e
}

// InvalidParams is a 422: the request is well-formed but a value fails validation.
func InvalidParams(field, format string, args ...any) *Error {
	return NewError(CodeInvalidParams, format, args...).WithDetail("field", field)
}

// Unavailable wraps a backing-service failure; it also matches ErrUnavailable.
func Unavailable(service string, cause error) *Error {
	return NewError(CodeUnavailable, "%s is unavailable", service).WithCause(unavailableCause{cause})
}

// unavailableCause matches ErrUnavailable and the cause, and reads as the cause alone, so
// the message says why ("connection refused") rather than repeating "unavailable".
type unavailableCause struct{ err error }

func (u unavailableCause) Error() string {
	if u.err == nil {
		return ErrUnavailable.Error()
	}
	return u.err.Error()
}

func (u unavailableCause) Unwrap() []error { return []error{ErrUnavailable, u.err} }

// CodeOf returns the code carried by err, CodeUnavailable for ErrUnavailable, and
// CodeInternal for anything else.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, ErrUnavailable) {
		return CodeUnavailable
	}
	return CodeInternal
}

// IsRetryable reports whether err is a transient task failure.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable
}

// Conflict codes of the operations on finished tasks (API.md "Operations"), answered 409.
const (
	// CodeTaskNotRetryable: a retry of a task that neither failed nor was cancelled.
	CodeTaskNotRetryable Code = "task_not_retryable"
	// CodeTaskNotFinished: a delete of a task that is not final yet.
	CodeTaskNotFinished Code = "task_not_finished"
)
