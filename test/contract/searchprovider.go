package contract

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// SearchProviderOptions declares what differs between search providers. A nil factory
// skips the subtests that need it.
type SearchProviderOptions struct {
	// NewNotConfigured returns an instance without credentials (an empty API key); nil for
	// providers that are always configured (demo).
	NewNotConfigured func(t *testing.T) ports.SearchProvider
	// NewUnavailable returns an instance whose backend answers HTTP 503; nil for providers
	// without a backend.
	NewUnavailable func(t *testing.T) ports.SearchProvider
	// NewHanging returns an instance whose backend accepts the request and never answers
	// (until the request is abandoned); its own timeout must be far above the suite's
	// deadline, so only cancelling ctx can end the call. Nil for providers without a
	// backend.
	NewHanging func(t *testing.T) ports.SearchProvider
}

// SearchProvider is the contract of ports.SearchProvider. newProvider returns a configured
// instance that answers any plain query with at least 3 results (a fixture server is fine:
// the provider, not its backend, must honour MaxResults).
func SearchProvider(t *testing.T, newProvider func(t *testing.T) ports.SearchProvider, opts SearchProviderOptions) {
	t.Helper()
	cases := []suiteCase[ports.SearchProvider]{
		{"Name", "NonEmptyAndStable", func(t *testing.T, p ports.SearchProvider) {
			name := p.Name()
			require.NotEmpty(t, name)
			require.Equal(t, name, p.Name(), "Name changes between calls")
			require.Equal(t, name, newProvider(t).Name(), "Name differs between instances")
		}},
		{"Search", "AtMostMaxResults", searchAtMost},
		{"Search", "ResultsAreWellFormed", searchWellFormed},
		{"Search", "NoRecencyFilter", searchNoRecency},
		{"Search", "CancelledContext", searchCancelled},
		{"Search", "ConcurrentCalls", searchConcurrent},
	}
	if opts.NewNotConfigured != nil {
		cases = append(cases, suiteCase[ports.SearchProvider]{"Search", "NotConfigured", func(t *testing.T, p ports.SearchProvider) {
			nc := opts.NewNotConfigured(t)
			require.Equal(t, p.Name(), nc.Name(), "Name does not depend on configuration")
			res, err := nc.Search(t.Context(), searchQuery(3, 0))
			requireCode(t, err, domain.CodeProviderNotConfigured)
			require.Empty(t, res)
		}})
	}
	if opts.NewUnavailable != nil {
		cases = append(cases, suiteCase[ports.SearchProvider]{"Search", "BackendUnavailable", func(t *testing.T, _ ports.SearchProvider) {
			res, err := opts.NewUnavailable(t).Search(t.Context(), searchQuery(3, 0))
			de := requireCode(t, err, domain.CodeProviderError)
			require.True(t, de.Retryable, "a 5xx is retryable: %v", err)
			require.Empty(t, res)
		}})
	}
	if opts.NewHanging != nil {
		cases = append(cases, suiteCase[ports.SearchProvider]{"Search", "CancelledWhileWaiting", func(t *testing.T, _ ports.SearchProvider) {
			p := opts.NewHanging(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			res, err := callWithin(t, "Search", func() ([]domain.SearchResult, error) {
				time.AfterFunc(50*time.Millisecond, cancel)
				return p.Search(ctx, searchQuery(3, 0))
			})
			requireCode(t, err, domain.CodeProviderError)
			require.Empty(t, res)
		}})
	}
	runSuite(t, newProvider, cases)
}

func searchQuery(maxResults, recencyDays int) domain.SearchQuery {
	return domain.SearchQuery{Query: "open source task queue", RecencyDays: recencyDays, MaxResults: maxResults}
}

func search(t *testing.T, p ports.SearchProvider, q domain.SearchQuery) []domain.SearchResult {
	t.Helper()
	res, err := p.Search(t.Context(), q)
	require.NoError(t, err, "Search(%+v)", q)
	requireWellFormed(t, p.Name(), res)
	return res
}

// requireWellFormed checks what every result of a provider must look like.
func requireWellFormed(t *testing.T, name string, res []domain.SearchResult) {
	t.Helper()
	for i, r := range res {
		u, err := url.Parse(r.URL)
		require.NoError(t, err, "result %d: URL %q", i, r.URL)
		require.Contains(t, []string{"http", "https"}, u.Scheme, "result %d: URL %q is not http(s)", i, r.URL)
		require.NotEmpty(t, u.Host, "result %d: URL %q is not absolute", i, r.URL)
		require.True(t, r.Title != "" || r.URL != "", "result %d: neither title nor URL", i)
		require.Equal(t, name, r.Source, "result %d: Source is the provider's Name", i)
		require.Empty(t, r.Sources, "result %d: Sources is set only by merging", i)
	}
}

func searchAtMost(t *testing.T, p ports.SearchProvider) {
	for _, n := range []int{1, 3} {
		res := search(t, p, searchQuery(n, 0))
		require.Len(t, res, n, "MaxResults %d: the provider has at least 3 results to give", n)
	}
	res := search(t, p, searchQuery(1000, 0))
	require.GreaterOrEqual(t, len(res), 3, "a large MaxResults is capped, not refused")
	require.LessOrEqual(t, len(res), 1000)
}

func searchWellFormed(t *testing.T, p ports.SearchProvider) {
	res := search(t, p, searchQuery(10, 30))
	require.NotEmpty(t, res)
	require.LessOrEqual(t, len(res), 10)
}

func searchNoRecency(t *testing.T, p ports.SearchProvider) {
	for _, days := range []int{0, -1} {
		res := search(t, p, searchQuery(3, days))
		require.Len(t, res, 3, "recency_days %d means no filter", days)
	}
}

func searchCancelled(t *testing.T, p ports.SearchProvider) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := callWithin(t, "Search", func() ([]domain.SearchResult, error) { return p.Search(ctx, searchQuery(3, 0)) })
	requireCode(t, err, domain.CodeProviderError)
	require.Empty(t, res, "a cancelled search returns no results")
}

// searchConcurrent runs searches side by side, as a search_batch does (and -race watches).
func searchConcurrent(t *testing.T, p ports.SearchProvider) {
	var wg sync.WaitGroup
	errs := make([]error, 8)
	got := make([][]domain.SearchResult, 8)
	for i := range errs {
		wg.Go(func() { got[i], errs[i] = p.Search(t.Context(), searchQuery(3, 0)) })
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i])
		require.Len(t, got[i], 3)
		requireWellFormed(t, p.Name(), got[i])
	}
}

// callWithin runs f and fails the test if it has not returned within the suite's generous
// deadline: that is a hang, not a slow machine.
func callWithin[T any](t *testing.T, what string, f func() (T, error)) (T, error) {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(wait):
		t.Fatalf("%s did not return within %s of its context being cancelled", what, wait)
		var zero T
		return zero, nil
	}
}

// requireCode fails unless err is a *domain.Error with the code.
func requireCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
	require.Equal(t, code, de.Code, "error: %v", err)
	return de
}
