// Package httpapi is taskrunner's REST adapter (Fiber v2): the routes of API.md, strict JSON
// decoding, one table from domain error codes to HTTP statuses (installed as Fiber's
// ErrorHandler, so handlers only return errors), and the middleware every request passes
// through: request id, access log and metrics, panic recovery, bearer auth and a per-request
// deadline. Its OpenAPI document is embedded and served at /openapi.json.
package httpapi
