package web

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

// asciiHost returns host in the form that is matched against the allowlist, then resolved
// and dialled: lower case, no trailing dot, IDN labels in punycode. It uses the IDNA lookup
// profile, as browsers do, for the UTS #46 mapping and label checks that the domain's
// standard-library encoder leaves out; the matching itself is domain.HostAllowlist's, the
// one implementation submit-time validation uses too (its comment says why it lives there).
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
