package providertest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// Backend checks what every provider adapter does with its backend's answers beyond the
// port's contract: empty answers are no results, failures are retryable or not as they
// deserve, messages say what went wrong without the key, and no key means no request.
func (a Adapter[C]) Backend(t *testing.T) {
	t.Helper()
	requireErr := a.RequireError
	search := func(t *testing.T, s *Server, key string) ([]domain.SearchResult, error) {
		t.Helper()
		return a.Client(t, s, key).Search(context.Background(), Query(10, 7))
	}
	t.Run("EmptyAnswerIsNoResults", func(t *testing.T) {
		t.Parallel()
		for name, rep := range a.Empty {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				got, err := a.Search(t, Query(10, 7), rep)
				require.NoError(t, err)
				require.NotNil(t, got, "no results is an empty list, not nil")
				require.Empty(t, got)
			})
		}
	})
	t.Run("WrongKeyIsPermanent", func(t *testing.T) {
		t.Parallel()
		_, err := search(t, a.Fake(t, a.OK), wrongKey)
		de := requireErr(t, err, false, a.KeyVar+" is wrong")
		for k, v := range a.WrongKeyDetails {
			require.Equal(t, v, de.Details[k], "detail %s", k)
		}
	})
	t.Run("ServerErrorIsTransient", func(t *testing.T) {
		t.Parallel()
		s := a.Fake(t, Reply{Status: http.StatusServiceUnavailable, Body: "<html><body>Unavailable</body></html>"}, a.OK)
		_, err := search(t, s, a.Key)
		requireErr(t, err, true, "HTTP 503")
		got, err := search(t, s, a.Key)
		require.NoError(t, err, "the next call goes through")
		require.NotEmpty(t, got)
		require.Equal(t, 2, s.Hits())
	})
	t.Run("SlowAnswerTimesOut", func(t *testing.T) {
		t.Parallel()
		s := a.Fake(t, Reply{Status: Slow})
		_, err := a.Build(t, s.Endpoint(), a.Key, 50*time.Millisecond).Search(context.Background(), Query(10, 7))
		requireErr(t, err, true, "did not answer within 50ms")
	})
	t.Run("NetworkErrorIsTransient", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close() // nothing listens there any more
		_, err := a.Build(t, url, a.Key, 2*time.Second).Search(context.Background(), Query(10, 7))
		requireErr(t, err, true, "could not be reached")
	})
	t.Run("MalformedIsPermanent", func(t *testing.T) {
		t.Parallel()
		for name, rep := range a.Malformed {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				_, err := a.Search(t, Query(10, 7), rep)
				requireErr(t, err, false, "malformed")
			})
		}
	})
	t.Run("NoKeyIsNotConfigured", func(t *testing.T) {
		t.Parallel()
		s := a.Fake(t, a.OK)
		_, err := search(t, s, "")
		var de *domain.Error
		require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
		require.Equal(t, domain.CodeProviderNotConfigured, de.Code)
		require.Contains(t, de.Message, a.KeyVar)
		require.Zero(t, s.Hits(), "no request without a key")
	})
}
