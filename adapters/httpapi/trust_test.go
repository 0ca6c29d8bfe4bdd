package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTokensAreOneTrustDomain pins the documented choice (README "Auth"): API_TOKENS are
// interchangeable for reading and cancelling. A token sees and cancels tasks another token
// created; only idempotency keys are kept apart per token.
func TestTokensAreOneTrustDomain(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.tokens = []string{"tok-a", "tok-b"} })
	a, b := []string{"Authorization", "Bearer tok-a"}, []string{"Authorization", "Bearer tok-b"}

	created := r.do("POST", "/tasks", `{"type":"echo","idempotency_key":"k"}`, a...)
	require.Equal(t, http.StatusAccepted, created.StatusCode)
	id := created.json(t)["id"].(string)

	require.Equal(t, http.StatusOK, r.do("GET", "/tasks/"+id, nil, b...).StatusCode)
	require.Contains(t, string(r.do("GET", "/tasks", nil, b...).body), id)
	cancelled := r.do("POST", "/tasks/"+id+"/cancel", nil, b...)
	require.Equal(t, http.StatusOK, cancelled.StatusCode)
	require.Equal(t, "cancelled", cancelled.json(t)["status"])

	// The same key under another token is another task, not a replay of a's.
	other := r.do("POST", "/tasks", `{"type":"echo","idempotency_key":"k"}`, b...)
	require.Equal(t, http.StatusAccepted, other.StatusCode)
	require.NotEqual(t, id, other.json(t)["id"])
}
