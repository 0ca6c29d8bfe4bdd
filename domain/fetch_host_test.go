package domain_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/idna"
	"pgregory.net/rapid"

	"taskrunner/domain"
)

func TestFetchHostASCII(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Example.COM.":       "example.com",
		"bücher.example":     "xn--bcher-kva.example",
		"münchen.de":         "xn--mnchen-3ya.de",
		"例え.テスト":             "xn--r8jz45g.xn--zckzah",
		"xn--bcher-kva.test": "xn--bcher-kva.test",
	}
	for in, want := range cases {
		got, ok := domain.FetchHostASCII(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
}

// The simplified encoder agrees with x/net/idna on lower-case labels that need no mapping.
func TestFetchHostASCIIMatchesIDNA(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		label := rapid.StringOfN(rapid.RuneFrom([]rune("abcdeéüößçñøåäπλжд中文字日本")), 1, 12, -1).Draw(t, "label")
		host := label + ".example"
		want, err := idna.Lookup.ToASCII(host)
		if err != nil {
			t.Skip("not a valid IDNA label")
		}
		got, ok := domain.FetchHostASCII(host)
		if !ok {
			t.Fatalf("FetchHostASCII(%q) failed", host)
		}
		if got != want {
			t.Fatalf("FetchHostASCII(%q) = %q, idna says %q", host, got, want)
		}
	})
}
