package providerhttp

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   int
		ok     bool
	}{
		{"", 0, false},
		{"7", 7, true},
		{"junk", 0, false},
		{"-3", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		got, ok := RetryAfter(h, now)
		require.Equal(t, tc.want, got, tc.header)
		require.Equal(t, tc.ok, ok, tc.header)
	}
}

func TestTransportErrorIsTransientAndSaysWhy(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	err := TransportError(ctx, "exa", context.DeadlineExceeded, 15*time.Second)
	var de *domain.Error
	require.True(t, errors.As(err, &de))
	require.True(t, de.Retryable)
	require.Equal(t, domain.CodeProviderError, de.Code)
	require.Contains(t, de.Message, "did not answer within 15s")
	require.Equal(t, "exa", de.Details["provider"])

	err = TransportError(context.Background(), "brave", errors.New("connection refused"), time.Second)
	require.True(t, errors.As(err, &de))
	require.Contains(t, de.Message, "could not be reached")
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	require.Equal(t, "a b c", Excerpt("a\n\tb\x00  c"))
	long := strings.Repeat("é", 300)
	require.Equal(t, 201, len([]rune(Excerpt(long))))
}

func TestEndpointURL(t *testing.T) {
	t.Parallel()
	const def = "https://api.example.com/search"
	for in, want := range map[string]string{
		"":                             def,
		"http://127.0.0.1:9000":        "http://127.0.0.1:9000/search",
		"http://127.0.0.1:9000/":       "http://127.0.0.1:9000/search",
		"https://proxy.local/x/search": "https://proxy.local/x/search",
	} {
		got, err := EndpointURL(in, def, "/search")
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"ftp://x/y", "/relative", "http://"} {
		_, err := EndpointURL(bad, def, "/search")
		require.Error(t, err, bad)
	}
}

func TestNewClientFillsDefaults(t *testing.T) {
	t.Parallel()
	c, err := NewClient(ClientConfig{APIKey: "k"}, "https://api.example.com/search", "/search", 7*time.Second)
	require.NoError(t, err)
	require.Equal(t, "k", c.Key)
	require.Equal(t, "https://api.example.com/search", c.URL)
	require.Equal(t, 7*time.Second, c.Timeout)
	require.NotNil(t, c.HTTP)
	require.Equal(t, time.UTC, c.Now().Location())

	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c, err = NewClient(ClientConfig{URL: "http://127.0.0.1:9", Timeout: time.Second, Clock: fixedClock{fixed}},
		"https://api.example.com/search", "/search", 7*time.Second)
	require.NoError(t, err)
	require.Equal(t, "http://127.0.0.1:9/search", c.URL)
	require.Equal(t, time.Second, c.Timeout)
	require.Equal(t, fixed, c.Now())

	_, err = NewClient(ClientConfig{URL: "ftp://x"}, "https://api.example.com/search", "/search", time.Second)
	require.Error(t, err)
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }
