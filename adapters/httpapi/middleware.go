package httpapi

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"

	"taskrunner/ports"
)

// HeaderRequestID carries the request id on every request and response.
const HeaderRequestID = "X-Request-ID"

// localKey keys the values middleware leaves in fiber.Ctx.Locals.
type localKey int

const (
	requestIDKey localKey = iota
	routeKey              // the matched route template, set by route()
	observedKey           // set once observeRequests has taken the request
	clientKey             // the rate-limit identity of the caller
	uploadKey             // set by gateUpload: the request is an artifact upload
)

// unmatchedRoute labels requests no route served, so metrics keep a bounded label set.
const unmatchedRoute = "unmatched"

// maxRequestIDLen bounds an echoed request id, so clients cannot bloat logs.
const maxRequestIDLen = 128

// requestID returns the request's id: the client's X-Request-ID when it is sane, else a
// fresh one. The first call also sets the response header, so every response has it.
func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals(requestIDKey).(string); ok {
		return id
	}
	id := c.Get(HeaderRequestID)
	if !saneRequestID(id) {
		id = newRequestID()
	}
	c.Locals(requestIDKey, id)
	c.Set(HeaderRequestID, id)
	return id
}

// saneRequestID accepts 1..128 characters of [A-Za-z0-9._:-]: enough for UUIDs and trace
// ids, nothing that could forge a log line or a header.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !requestIDByte(id[i]) {
			return false
		}
	}
	return true
}

// requestIDByte reports whether ch is one of [A-Za-z0-9._:-].
func requestIDByte(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
		ch == '-' || ch == '_' || ch == '.' || ch == ':'
}

// newRequestID returns 32 random hex digits. A request id names a request in logs and
// answers and guards nothing, so it comes from math/rand/v2's runtime-seeded generator:
// crypto/rand cost a system call per request, 3% of the API's CPU under load.
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// routeOf returns the route template that served the request, or "unmatched".
func routeOf(c *fiber.Ctx) string {
	if r, ok := c.Locals(routeKey).(string); ok {
		return r
	}
	return unmatchedRoute
}

// assignRequestID is the outermost middleware.
func (s *Server) assignRequestID(c *fiber.Ctx) error {
	requestID(c)
	return c.Next()
}

// observeRequests writes the access log line and the HTTP metrics of every request. It
// resolves a handler's error into its response right here (as Fiber's logger does), so
// the status it records is the one the client gets.
func (s *Server) observeRequests(c *fiber.Ctx) error {
	c.Locals(observedKey, true)
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.record(c, time.Since(start))
	return nil
}

// record logs one request (event http_request) and counts it. Headers are never logged:
// Authorization holds a secret.
func (s *Server) record(c *fiber.Ctx, d time.Duration) {
	status := c.Response().StatusCode()
	route := routeOf(c)
	var size int
	if c.Response().IsBodyStream() {
		size = c.Response().Header.ContentLength() // reading Body() would drain the stream
	} else {
		size = len(c.Response().Body())
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	s.log.Log(c.UserContext(), level, "http_request",
		"method", c.Method(), "route", route, "status", status,
		"duration_ms", float64(d.Microseconds())/1000, "request_id", requestID(c), "bytes", size)
	if s.deps.Requests != nil {
		s.deps.Requests.RequestServed(ports.ServedRequest{Route: route, Method: c.Method(), Status: status, Duration: d})
	}
}

// recoverPanics turns a handler panic into a 500; the stack goes to the log only.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.ErrorContext(c.UserContext(), "http_panic", "request_id", requestID(c),
				"route", routeOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = errPanic
		}
	}()
	return c.Next()
}

// withDeadline gives the request's service calls a deadline, so a hung backing service
// yields a 503 instead of a hung client.
func (s *Server) withDeadline(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(withRequestID(c.UserContext(), requestID(c)), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}
