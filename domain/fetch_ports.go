package domain

import (
	"strconv"
	"strings"
)

// DefaultFetchPorts is FETCH_ALLOWED_PORTS when unset: the web's own ports. A page on any
// other port is more likely an internal service (a database, an admin UI, a metadata
// proxy) than a site, so reaching one is opted into.
func DefaultFetchPorts() []string { return []string{"80", "443"} }

// FetchPortAllowed reports whether a URL with this scheme and port (url.URL.Port(): "" for
// the scheme's default) may be fetched under FETCH_ALLOWED_PORTS patterns: "*" allows
// every port, a number that port. An empty list allows none, as an empty domain allowlist
// does.
func FetchPortAllowed(allowed []string, scheme, port string) bool {
	n, ok := EffectivePort(scheme, port)
	if !ok {
		return false
	}
	for _, p := range allowed {
		p = strings.TrimSpace(p)
		if p == "*" {
			return true
		}
		if v, err := strconv.Atoi(p); err == nil && v == n {
			return true
		}
	}
	return false
}

// EffectivePort is the port a URL connects to: its explicit port, else 80 for http and 443
// for https. ok is false for a port that is not a number in 1..65535.
func EffectivePort(scheme, port string) (int, bool) {
	if port == "" {
		switch strings.ToLower(scheme) {
		case "http":
			return 80, true
		case "https":
			return 443, true
		}
		return 0, false
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return 0, false
	}
	return n, true
}
