package web

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"

	"taskrunner/domain"
)

// asciiHost returns host in the form that is resolved and matched against the allowlist:
// lower case, no trailing dot, IDN labels in punycode (IDNA lookup profile).
func asciiHost(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", blocked("the URL has no host")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.String(), nil
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return "", blocked("host %q is not a valid domain name", host)
	}
	ascii = strings.ToLower(ascii)
	if numericLooking(ascii) {
		// "127.1", "0x7f000001", "2130706433": resolvers disagree on such forms (some
		// parse them as IPv4), so they are refused rather than guessed at.
		return "", blocked("host %q is an ambiguous numeric address", host)
	}
	return ascii, nil
}

// numericLooking reports whether the last label of host is numeric (decimal or 0x-hex):
// no top-level domain is, so such a host is an address in a non-standard notation.
func numericLooking(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if strings.HasPrefix(last, "0x") {
		return true
	}
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return false
		}
	}
	return true
}

// asciiPatterns converts allowlist patterns to the ASCII form asciiHost produces.
func asciiPatterns(patterns []string) []string {
	out := make([]string, 0, len(patterns))
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		prefix := ""
		if strings.HasPrefix(p, "*.") {
			prefix, p = "*.", p[2:]
		}
		if p != "*" && p != "" {
			if a, err := idna.Lookup.ToASCII(strings.TrimSuffix(p, ".")); err == nil {
				p = a
			} else if a, ok := domain.FetchHostASCII(p); ok {
				p = a
			}
		}
		out = append(out, prefix+strings.ToLower(p))
	}
	return out
}
