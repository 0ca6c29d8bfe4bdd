package domain_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestRedactCallbackURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"https://hooks.example.com/taskrunner", "https://hooks.example.com/taskrunner"},
		{"https://hooks.example.com/h?token=s3cr3t", "https://hooks.example.com/h?token=REDACTED"},
		{"http://127.0.0.1:9000/hooks/taskrunner?src=test&token=abc%20def&empty=", "http://127.0.0.1:9000/hooks/taskrunner?src=REDACTED&token=REDACTED&empty="},
		{"https://h.example/p?a=1&a=2", "https://h.example/p?a=REDACTED&a=REDACTED"},
		{"https://h.example/p?bare-token-value", "https://h.example/p?REDACTED"},
		{"https://h.example/p?x=1&&y=2", "https://h.example/p?x=REDACTED&&y=REDACTED"},
		{"https://h.example/p?sig=a=b", "https://h.example/p?sig=REDACTED"},
		{"https://h.example/p?", "https://h.example/p?"},
		{"https://h.example/p?t=1#access_token=xyz", "https://h.example/p?t=REDACTED#REDACTED"},
		{"https://user:pass@h.example/p", "https://h.example/p"}, // refused at submit; never shown anyway
		{"http://[::1", domain.RedactedValue},
	} {
		got := domain.RedactCallbackURL(tc.in)
		require.Equal(t, tc.want, got, "in %q", tc.in)
		require.NotContains(t, got, "s3cr3t")
	}
}

// A redacted URL still names the same receiver (scheme, host, port, path) and is itself a
// valid callback URL.
func TestRedactedCallbackURLKeepsTheReceiver(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"https://hooks.example.com:8443/a/b?token=t&x=y",
		"http://127.0.0.1:9000/hooks/taskrunner?src=test",
	} {
		stored, err := domain.ParseCallbackURL(raw)
		require.NoError(t, err)
		shown, err := domain.ParseCallbackURL(domain.RedactCallbackURL(stored))
		require.NoError(t, err)
		a, err := url.Parse(stored)
		require.NoError(t, err)
		b, err := url.Parse(shown)
		require.NoError(t, err)
		require.Equal(t, []string{a.Scheme, a.Host, a.Path}, []string{b.Scheme, b.Host, b.Path})
		require.NotEqual(t, a.RawQuery, b.RawQuery)
	}
}
