package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// Codes that only the HTTP layer produces: a path or method that no route serves, a byte
// range outside an artifact. They
// sit beside the codes of API.md (and in the OpenAPI document's enum) so that the table
// below stays a function: one code, one status.
const (
	codeNotFound            domain.Code = "not_found"
	codeMethodNotAllowed    domain.Code = "method_not_allowed"
	codeRangeNotSatisfiable domain.Code = "range_not_satisfiable"
)

// statusByCode is THE table from error code to HTTP status (API.md). A code missing here
// (a task error code such as provider_error that leaked into a request) is a bug: 500.
var statusByCode = map[domain.Code]int{
	domain.CodeInvalidRequest:         http.StatusBadRequest,
	domain.CodeInvalidParams:          http.StatusUnprocessableEntity,
	domain.CodeUnauthorized:           http.StatusUnauthorized,
	domain.CodeTaskNotFound:           http.StatusNotFound,
	domain.CodeArtifactNotFound:       http.StatusNotFound,
	domain.CodeScheduleNotFound:       http.StatusNotFound,
	codeNotFound:                      http.StatusNotFound,
	codeMethodNotAllowed:              http.StatusMethodNotAllowed,
	codeRangeNotSatisfiable:           http.StatusRequestedRangeNotSatisfiable,
	domain.CodeTaskAlreadyFinished:    http.StatusConflict,
	domain.CodeIdempotencyKeyConflict: http.StatusConflict,
	domain.CodeTaskNotRetryable:       http.StatusConflict,
	domain.CodeTaskNotFinished:        http.StatusConflict,
	domain.CodeUnsupportedMediaType:   http.StatusUnsupportedMediaType,
	domain.CodeArtifactSizeExceeded:   http.StatusRequestEntityTooLarge,
	domain.CodeRateLimitExceeded:      http.StatusTooManyRequests,
	domain.CodeUnavailable:            http.StatusServiceUnavailable,
	domain.CodeInternal:               http.StatusInternalServerError,
}

// errPanic stands for a recovered panic; the panic itself is logged where it is caught.
var errPanic = errors.New("handler panicked")

// errorBody is the body of every non-2xx response.
type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    domain.Code    `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// apiError is an error resolved to what the client sees.
type apiError struct {
	status     int
	payload    errorPayload
	retryAfter int64 // seconds, for the Retry-After header; 0 for none
}

// toAPIError resolves any error to status, code, message and details. Messages of
// internal errors never reach the client: they may hold driver text or paths.
func (s *Server) toAPIError(c *fiber.Ctx, err error) apiError {
	var fe *fiber.Error
	var de *domain.Error
	switch {
	case errors.As(err, &de):
		status, ok := statusByCode[de.Code]
		if !ok || de.Code == domain.CodeInternal {
			return internalError(c)
		}
		return apiError{status: status, retryAfter: domain.WholeSeconds(de.RetryAfter),
			payload: errorPayload{Code: de.Code, Message: de.Message, Details: de.Details}}
	case errors.As(err, &fe):
		return s.fromFiberError(c, fe)
	case errors.Is(err, domain.ErrUnavailable):
		return apiError{status: http.StatusServiceUnavailable,
			payload: errorPayload{Code: domain.CodeUnavailable, Message: "a backing service is unavailable"}}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return apiError{status: http.StatusServiceUnavailable,
			payload: errorPayload{Code: domain.CodeUnavailable, Message: "the request did not complete in time"}}
	default:
		return internalError(c)
	}
}

// fromFiberError maps the errors Fiber raises itself (routing, body limit, malformed
// requests) into the same vocabulary.
func (s *Server) fromFiberError(c *fiber.Ctx, fe *fiber.Error) apiError {
	switch fe.Code {
	case http.StatusNotFound:
		return apiError{status: http.StatusNotFound, payload: errorPayload{Code: codeNotFound,
			Message: "no route for " + c.Method() + " " + c.Path()}}
	case http.StatusMethodNotAllowed:
		return apiError{status: http.StatusMethodNotAllowed, payload: errorPayload{Code: codeMethodNotAllowed,
			Message: "method " + c.Method() + " is not allowed on " + c.Path()}}
	case http.StatusRequestEntityTooLarge:
		return apiError{status: http.StatusRequestEntityTooLarge, payload: errorPayload{
			Code:    domain.CodeArtifactSizeExceeded,
			Message: "request body is larger than the limit of " + strconv.Itoa(s.cfg.BodyLimitBytes) + " bytes",
			Details: map[string]any{"limit_bytes": s.cfg.BodyLimitBytes},
		}}
	case http.StatusServiceUnavailable, http.StatusRequestTimeout, http.StatusGatewayTimeout:
		return apiError{status: http.StatusServiceUnavailable,
			payload: errorPayload{Code: domain.CodeUnavailable, Message: fe.Message}}
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return apiError{status: http.StatusBadRequest,
			payload: errorPayload{Code: domain.CodeInvalidRequest, Message: fe.Message}}
	}
	return internalError(c)
}

func internalError(c *fiber.Ctx) apiError {
	id := requestID(c)
	return apiError{status: http.StatusInternalServerError, payload: errorPayload{
		Code:    domain.CodeInternal,
		Message: "internal error; the server log has the details under request id " + id,
		Details: map[string]any{"request_id": id},
	}}
}

// handleError is Fiber's ErrorHandler: it writes the error body, the headers the status
// calls for, and logs internal errors with the request id.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	ae := s.toAPIError(c, err)
	if ae.status == http.StatusInternalServerError {
		s.log.ErrorContext(c.UserContext(), "http_internal_error", "request_id", requestID(c),
			"method", c.Method(), "route", routeOf(c), "error", err.Error())
	}
	if ae.payload.Details == nil {
		ae.payload.Details = map[string]any{}
	}
	body, mErr := marshalJSON(errorBody{Error: ae.payload})
	if mErr != nil { // details hold only plain values; this is a bug, not a client error
		s.log.ErrorContext(c.UserContext(), "http_internal_error", "request_id", requestID(c), "error", mErr.Error())
		body = []byte(`{"error":{"code":"internal","message":"internal error","details":{}}}`)
		ae.status = http.StatusInternalServerError
	}
	// A failed request may have set success headers before failing; they must not leak.
	// A 416 keeps its Content-Range ("bytes */size"): it tells the client the size.
	for _, h := range []string{fiber.HeaderETag, fiber.HeaderAcceptRanges, fiber.HeaderLocation} {
		c.Response().Header.Del(h)
	}
	if ae.status != http.StatusRequestedRangeNotSatisfiable {
		c.Response().Header.Del(fiber.HeaderContentRange)
	}
	if ae.retryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.FormatInt(ae.retryAfter, 10))
	}
	if ae.status == http.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="taskrunner"`)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Status(ae.status)
	sendErr := c.Send(body)
	if c.Locals(observedKey) == nil {
		// Fiber calls the ErrorHandler directly for requests it rejects before routing
		// (body over the limit, malformed request line), so record them here.
		s.record(c, 0)
	}
	return sendErr
}
