package providertest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Adapter describes a search provider adapter under test (C is its client type) and the
// backend it talks to; Run checks it against the port's contract and the behaviour every
// HTTP provider shares, and Fake and Client serve the adapter's own tests.
type Adapter[C ports.SearchProvider] struct {
	// API is the provider's API, faked, given the one key it accepts (Brave, Exa).
	API func(key string) API
	// Key is the key the fake accepts and the clients are given.
	Key string
	// KeyVar is the environment variable of the key, which errors about it name.
	KeyVar string
	// OK is a working backend's answer, with at least 3 results.
	OK Reply
	// WrongKeyDetails are details the error for a wrong key must carry (the provider's
	// status and code, say), beside the message naming KeyVar.
	WrongKeyDetails map[string]any
	// Empty are answers that mean "no results", by name.
	Empty map[string]Reply
	// Malformed are answers the adapter must reject as malformed, by name.
	Malformed map[string]Reply
	// Now is the time on the clients' clock, so date filters in requests are fixed.
	Now time.Time
	// New is the adapter's constructor, given the fields the checks set. (The adapters'
	// own Config is a type of adapters/internal, which this package may not name.)
	New func(Config) (C, error)
}

// Config is how the checks configure a client.
type Config struct {
	Key, URL string
	Timeout  time.Duration
	Clock    ports.Clock
}

// Build returns a client of endpoint (a full endpoint URL or an origin) with key and
// timeout, on a clock stopped at a.Now.
func (a Adapter[C]) Build(t *testing.T, endpoint, key string, timeout time.Duration) C {
	t.Helper()
	c, err := a.New(Config{Key: key, URL: endpoint, Timeout: timeout, Clock: Clock{At: a.Now}})
	require.NoError(t, err)
	return c
}

// Fake starts a fake of the adapter's API serving replies in turn.
func (a Adapter[C]) Fake(t *testing.T, replies ...Reply) *Server {
	t.Helper()
	return New(t, a.API(a.Key), replies...)
}

// Client is a client of s with key.
func (a Adapter[C]) Client(t *testing.T, s *Server, key string) C {
	t.Helper()
	return a.Build(t, s.Endpoint(), key, 2*time.Second)
}

// Run runs the port's contract and the shared backend checks as subtests.
func (a Adapter[C]) Run(t *testing.T) {
	t.Helper()
	t.Run("Contract", func(t *testing.T) {
		t.Parallel()
		a.Contract(t)
	})
	t.Run("Backend", func(t *testing.T) {
		t.Parallel()
		a.Backend(t)
	})
}

// Search searches q with the valid key over a fresh fake serving replies.
func (a Adapter[C]) Search(t *testing.T, q domain.SearchQuery, replies ...Reply) ([]domain.SearchResult, error) {
	t.Helper()
	return a.Client(t, a.Fake(t, replies...), a.Key).Search(context.Background(), q)
}

// RequireError is RequireProviderError for the adapter's provider, with its key as the
// secret that must not leak.
func (a Adapter[C]) RequireError(t *testing.T, err error, retryable bool, msgPart string) *domain.Error {
	t.Helper()
	provider := a.Build(t, "http://127.0.0.1:1", "", time.Second).Name()
	return RequireProviderError(t, err, provider, retryable, msgPart, a.Key)
}
