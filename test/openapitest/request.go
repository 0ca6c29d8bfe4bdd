package openapitest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Body is a request body as the HTTP tests write one: nil for none, a string or bytes
// sent as they are (malformed JSON included), anything else encoded as JSON. The bytes
// are what Check needs beside the request.
func Body(t testing.TB, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	default:
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		return raw
	}
}

// SetHeaders applies name, value pairs to h; an empty value removes the header, so a
// test can drop one a client sets by default (Authorization, Content-Type).
func SetHeaders(h http.Header, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			h.Del(pairs[i])
		} else {
			h.Set(pairs[i], pairs[i+1])
		}
	}
}
