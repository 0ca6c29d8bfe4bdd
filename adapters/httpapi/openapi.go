package httpapi

import _ "embed"

// openAPIDocument is the OpenAPI 3.0.3 description of every route, served at
// /openapi.json; tests validate every response against it.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns a copy of the embedded OpenAPI document.
func OpenAPIDocument() []byte {
	out := make([]byte, len(openAPIDocument))
	copy(out, openAPIDocument)
	return out
}
