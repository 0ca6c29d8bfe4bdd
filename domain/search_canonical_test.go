package domain_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"taskrunner/domain"
)

// Search merging relies on these variants folding together (providers/fixtures overlap).
func TestCanonicalURLSearchVariants(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"https://example.com/blog/vector-database-benchmarks/?utm_source=newsletter&utm_medium=email": "https://example.com/blog/vector-database-benchmarks",
		"https://example.org/research/ann-recall-latency/":                                            "https://example.org/research/ann-recall-latency",
		"HTTPS://Example.COM:443/a?b=2&a=1#top":                                                       "https://example.com/a?a=1&b=2",
		"https://example.com":                                                                         "https://example.com/",
	}
	for in, want := range cases {
		got, err := domain.CanonicalURL(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
}

func TestCanonicalURLIdempotentProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		scheme := rapid.SampledFrom([]string{"http", "https", "HTTP", "HttpS"}).Draw(t, "scheme")
		host := rapid.StringMatching(`[a-zA-Z][a-zA-Z0-9-]{0,10}(\.[a-zA-Z]{2,5}){1,2}\.?`).Draw(t, "host")
		port := rapid.SampledFrom([]string{"", ":80", ":443", ":8080"}).Draw(t, "port")
		path := rapid.StringMatching(`(/[a-zA-Z0-9%._~-]{0,6}){0,4}/?`).Draw(t, "path")
		query := rapid.StringMatching(`(\?([a-z_]{1,6}=[a-zA-Z0-9%+]{0,4}&?){0,4})?`).Draw(t, "query")
		frag := rapid.StringMatching(`(#[a-z]{0,4})?`).Draw(t, "frag")
		raw := fmt.Sprintf("%s://%s%s%s%s%s", scheme, host, port, path, query, frag)
		c1, err := domain.CanonicalURL(raw)
		if err != nil {
			return
		}
		c2, err := domain.CanonicalURL(c1)
		if err != nil || c1 != c2 {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", raw, c1, c2, err)
		}
	})
}
