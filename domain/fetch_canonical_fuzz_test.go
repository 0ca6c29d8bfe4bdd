package domain_test

import (
	"testing"

	"taskrunner/domain"
)

// FuzzCanonicalURL checks that canonicalization is idempotent: the fetch cache and search
// merging both rely on CanonicalURL(CanonicalURL(u)) == CanonicalURL(u).
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://Example.COM:443/a/b/?utm_source=x&b=2&a=1#frag",
		"http://user:pass@example.com:80",
		"https://example.com/%7Efoo/bar%2Fbaz/",
		"https://[::1]:8080/x?q=a+b&q=%20",
		"HTTP://EXAMPLE.com./path//",
		"https://bücher.example/straße?x=ü",
		"https://example.com/?gclid=1&fbclid=2",
		"https://example.com/a;b?c=d;e",
		"https://example.com/?a=1&a=0&=x&b",
		"HTTP://0..", "HTTP://..", "http://::", "http://[::ffff:127.0.0.1]:80/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c1, err := domain.CanonicalURL(raw)
		if err != nil {
			return
		}
		c2, err := domain.CanonicalURL(c1)
		if err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which does not canonicalize again: %v", raw, c1, err)
		}
		if c1 != c2 {
			t.Fatalf("not idempotent for %q:\n once:  %q\n twice: %q", raw, c1, c2)
		}
	})
}
