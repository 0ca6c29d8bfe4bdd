package providertest

import (
	"encoding/json"
	"net/http"
	"time"
)

// ExaPath is the path of Exa's search endpoint.
const ExaPath = "/search"

// ExaRequest is the part of an Exa search request the fake checks and tests inspect.
type ExaRequest struct {
	Query              string          `json:"query"`
	Type               string          `json:"type"`
	NumResults         int             `json:"numResults"`
	StartPublishedDate *string         `json:"startPublishedDate"`
	Contents           json.RawMessage `json:"contents"`
}

// Exa is Exa's search API as adapters/exa/testdata/README.md describes it, with key as the
// one valid x-api-key: a wrong key gets 401 INVALID_API_KEY; a body that is not JSON or
// has no query gets 400 INVALID_REQUEST_BODY, as do numResults outside 1..100 and a
// startPublishedDate that is not RFC 3339. Fixtures are read from adapters/exa/testdata.
func Exa(key string) API {
	return API{
		Method: http.MethodPost, Path: ExaPath,
		ContentType: "application/json",
		Dir:         fixtureDir("exa"),
		Check: func(r *http.Request, body []byte) *Reply {
			if r.Header.Get("x-api-key") != key {
				return &Reply{Status: 401, Fixture: "exa_401.json"}
			}
			var b ExaRequest
			if r.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &b) != nil || b.Query == "" {
				return &Reply{Status: 400, Fixture: "exa_400.json"}
			}
			if b.NumResults < 1 || b.NumResults > 100 {
				return &Reply{Status: 400, Body: `{"error":"bad numResults","tag":"INVALID_NUM_RESULTS"}`}
			}
			if b.StartPublishedDate != nil {
				if _, err := time.Parse(time.RFC3339, *b.StartPublishedDate); err != nil {
					return &Reply{Status: 400, Body: `{"error":"bad date","tag":"INVALID_REQUEST_BODY"}`}
				}
			}
			return nil
		},
	}
}

// ExaSent decodes the body of the last request s received as an Exa search request.
func ExaSent(s *Server) (ExaRequest, error) {
	var b ExaRequest
	err := json.Unmarshal(s.Last().Body, &b)
	return b, err
}
