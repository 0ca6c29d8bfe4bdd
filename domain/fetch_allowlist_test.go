package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestHostAllowlist(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		patterns []string
		host     string
		want     bool
	}{
		{[]string{"*"}, "anything.example", true},
		{[]string{"example.com"}, "example.com", true},
		{[]string{" Example.COM. "}, "EXAMPLE.com.", true},
		{[]string{"example.com"}, "www.example.com", false},
		{[]string{"*.example.com"}, "www.example.com", true},
		{[]string{"*.example.com"}, "a.b.example.com", true},
		{[]string{"*.example.com"}, "example.com", false},
		{[]string{"*.example.com"}, "badexample.com", false},
		{[]string{"example.com"}, "example.com.evil.net", false},
		// Unicode and punycode spellings name the same host, on either side.
		{[]string{"bücher.example"}, "xn--bcher-kva.example", true},
		{[]string{"BÜCHER.example"}, "xn--bcher-kva.example", true},
		{[]string{"xn--bcher-kva.example"}, "Bücher.example", true},
		{[]string{"*.bücher.example"}, "www.xn--bcher-kva.example", true},
		{[]string{"buecher.example"}, "bücher.example", false},
		{[]string{"example.com"}, "ex\u0430mple.com", false}, // Cyrillic a
		{nil, "example.com", false},
	} {
		require.Equal(t, tc.want, domain.NewHostAllowlist(tc.patterns).Allows(tc.host), "%q allows %q", tc.patterns, tc.host)
	}
}
