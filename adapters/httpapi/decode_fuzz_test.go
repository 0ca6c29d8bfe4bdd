package httpapi

import (
	"errors"
	"testing"

	"taskrunner/domain"
)

// FuzzDecodeStrict feeds arbitrary bodies to the strict decoder of POST /tasks: it must
// either decode or return an invalid_request error, never panic or return anything else.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{
		`{"type":"echo","params":{"msg":"hello"}}`,
		`{"type":"sleep","params":{"seconds":1},"timeout_seconds":5,"max_retries":2,"idempotency_key":"k"}`,
		`{"type":"echo","timeout_seconds":"5"}`, `{"type":"echo","timeout_seconds":1e99}`,
		`{"type":"echo","nope":1}`, `{"type":"echo"} trailing`, `[]`, ``, `{`, `{"params":[1,2]}`,
		"{\"type\":\"\xff\"}", `{"type":null,"params":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req submitRequest
		err := decodeStrict(body, &req)
		if err == nil {
			return
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.CodeInvalidRequest {
			t.Fatalf("decodeStrict(%q) = %v, want an invalid_request error", body, err)
		}
		if de.Message == "" {
			t.Fatalf("decodeStrict(%q): empty message", body)
		}
	})
}
