package domain

import (
	"net"
	"net/netip"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a click, not a resource.
var trackingParams = map[string]bool{
	"gclid": true, "fbclid": true, "msclkid": true, "dclid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "igshid": true, "ref_src": true,
}

// CanonicalURL normalizes an absolute http(s) URL (other schemes are an error) so that the same resource gets the same
// string: scheme and host lower-cased, default port, fragment, user info and tracking
// parameters (utm_*, gclid, ...) dropped, query parameters sorted, empty path made "/", a
// trailing slash dropped elsewhere. Search merging and the fetch cache share it.
// CanonicalURL(CanonicalURL(u)) == CanonicalURL(u).
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", err
	}
	if u.Scheme == "" || u.Host == "" {
		return "", &url.Error{Op: "canonicalize", URL: raw, Err: errNotAbsolute}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &url.Error{Op: "canonicalize", URL: raw, Err: errNotHTTP}
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", &url.Error{Op: "canonicalize", URL: raw, Err: errNoHost}
	}
	if strings.Contains(host, ":") { // an IPv6 literal: one spelling per address
		addr, err := netip.ParseAddr(host)
		if err != nil {
			return "", &url.Error{Op: "canonicalize", URL: raw, Err: err}
		}
		host = addr.String()
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	switch {
	case port != "":
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"):
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}

	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
		if path == "" {
			path = "/"
		}
	}
	if p, err := url.PathUnescape(path); err == nil {
		u.Path = p
		u.RawPath = ""
		if u.EscapedPath() != path {
			u.RawPath = path
		}
	}

	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			delete(q, k)
		}
	}
	for _, vs := range q {
		sort.Strings(vs)
	}
	u.RawQuery = q.Encode() // Encode sorts by key
	u.ForceQuery = false
	return u.String(), nil
}

type canonicalError string

func (e canonicalError) Error() string { return string(e) }

const (
	errNotAbsolute = canonicalError("not an absolute URL")
	errNotHTTP     = canonicalError("not an http or https URL")
	errNoHost      = canonicalError("no host")
)
