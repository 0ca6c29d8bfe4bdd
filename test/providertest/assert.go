package providertest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// Clock is a clock stopped at At, so request parameters derived from now (date filters)
// are fixed.
type Clock struct{ At time.Time }

// Now returns c.At.
func (c Clock) Now() time.Time { return c.At }

// Query is a plain search for max results, recency days back (0: no filter).
func Query(max, recency int) domain.SearchQuery {
	return domain.SearchQuery{Query: "vector database benchmarks 2026", RecencyDays: recency, MaxResults: max}
}

// wrongKey is the key tests send to be refused; no error may repeat it.
const wrongKey = "wrong-key"

// RequireProviderError checks that err is a provider_error of provider with the
// retryability and a message containing msgPart, and that neither wrongKey nor any of
// secrets leaks into it; it returns the error.
func RequireProviderError(t *testing.T, err error, provider string, retryable bool, msgPart string, secrets ...string) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
	require.Equal(t, domain.CodeProviderError, de.Code)
	require.Equal(t, retryable, de.Retryable, de.Message)
	require.Contains(t, de.Message, msgPart)
	require.Contains(t, de.Message, provider)
	for _, s := range append(secrets, wrongKey) {
		require.NotContains(t, err.Error(), s)
	}
	return de
}
