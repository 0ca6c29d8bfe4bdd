package domain

import "strings"

// HostAllowlist is FETCH_DOMAIN_ALLOWLIST ready for matching: "*" allows every host,
// "example.com" that host, "*.example.com" its subdomains (not the apex). Hosts and
// patterns are compared lower-cased, without a trailing dot, in their ASCII (punycode)
// form, so "bücher.example" and "xn--bcher-kva.example" name the same host.
//
// It is the one allowlist matcher: submit-time validation (ValidateFetchURL) and the page
// fetcher, for the URL and every redirect, both ask it. It lives in the domain, with a
// small standard-library punycode encoder (FetchHostASCII), because the domain imports
// nothing else and the rule is the domain's. The fetcher's x/net/idna does another job:
// it turns the URL's host into the name to resolve and dial (UTS #46 mapping and label
// checks need Unicode tables the standard library lacks) and asks this allowlist about
// exactly that ASCII name, so the name matched is the name dialled. For a host that needs
// such mapping (full-width letters, say) the submit-time check sees the unmapped name;
// it is only the early refusal, the fetcher's check is the one that holds.
type HostAllowlist struct {
	raw   []string // as configured, for hosts that cannot be encoded
	ascii []string // in FetchHostASCII form
}

// NewHostAllowlist prepares patterns for matching.
func NewHostAllowlist(patterns []string) HostAllowlist {
	a := HostAllowlist{raw: patterns, ascii: make([]string, 0, len(patterns))}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		prefix := ""
		if strings.HasPrefix(p, "*.") {
			prefix, p = "*.", p[2:]
		}
		if enc, ok := FetchHostASCII(p); ok {
			p = enc
		}
		a.ascii = append(a.ascii, prefix+p)
	}
	return a
}

// Allows reports whether host matches a pattern.
func (a HostAllowlist) Allows(host string) bool {
	enc, ok := FetchHostASCII(host)
	if !ok { // not encodable (not UTF-8, say): only a literal pattern can match it
		return hostMatches(a.raw, host)
	}
	return hostMatches(a.ascii, enc)
}

// hostMatches reports whether host matches any pattern, both taken literally.
func hostMatches(patterns []string, host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p)), ".")
		switch {
		case p == "*":
			return true
		case strings.HasPrefix(p, "*."):
			if strings.HasSuffix(host, p[1:]) && len(host) > len(p)-1 {
				return true
			}
		case p == host:
			return true
		}
	}
	return false
}
