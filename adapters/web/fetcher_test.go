package web_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/domain"
	"taskrunner/test/harness"
)

// resolver maps test host names to addresses; any other name does not exist, so no test
// ever asks real DNS.
type resolver map[string][]netip.Addr

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[strings.ToLower(host)]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

var loopback = netip.MustParseAddr("127.0.0.1")

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

// server starts an httptest server and returns it with its port.
func server(t *testing.T, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	return srv, u.Port()
}

func requireCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	require.Error(t, err)
	var de *domain.Error
	require.True(t, errors.As(err, &de), "want *domain.Error, got %T: %v", err, err)
	require.Equal(t, code, de.Code, "error: %v", err)
	return de
}

func fetch(t *testing.T, f *web.Fetcher, rawURL string) (domain.Page, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return f.Fetch(ctx, domain.FetchRequest{URL: rawURL, MaxBytes: 1 << 20})
}

func htmlHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}
}

func TestFetchSucceeds(t *testing.T) {
	t.Parallel()
	var ua atomic.Value
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		htmlHandler("<html><body><p>héllo</p></body></html>")(w, r)
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, UserAgent: "taskrunner-test/1.0 (+https://example.test/bot)"})
	p, err := fetch(t, f, "http://127.0.0.1:"+port+"/a")
	require.NoError(t, err)
	require.Equal(t, 200, p.StatusCode)
	require.Equal(t, "text/html", p.ContentType)
	require.Equal(t, "utf-8", p.Charset)
	require.Contains(t, p.Text, "<p>héllo</p>")
	require.Equal(t, "http://127.0.0.1:"+port+"/a", p.FinalURL)
	require.Equal(t, "taskrunner-test/1.0 (+https://example.test/bot)", ua.Load())
}

func TestDefaultUserAgent(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.UserAgent()
		htmlHandler("<p>x</p>")(w, r)
	}))
	_, err := fetch(t, web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true}), "http://127.0.0.1:"+port+"/")
	require.NoError(t, err)
	require.Equal(t, web.DefaultUserAgent, <-got)
	require.True(t, strings.HasPrefix(web.DefaultUserAgent, "taskrunner/"))
}

// Every non-public address class is refused by default, whether named by an IP literal or
// by a host name that resolves to it.
func TestGuardRefusesNonPublicAddresses(t *testing.T) {
	t.Parallel()
	_, port := server(t, htmlHandler("<p>secret</p>"))
	classes := map[string]string{
		"loopback":           "127.0.0.1",
		"loopback-other":     "127.0.0.2",
		"rfc1918-10":         "10.0.0.1",
		"rfc1918-172":        "172.16.5.4",
		"rfc1918-192":        "192.168.0.1",
		"cgnat":              "100.64.0.1",
		"metadata":           "169.254.169.254",
		"link-local":         "169.254.1.1",
		"unspecified":        "0.0.0.0",
		"this-network":       "0.0.0.1",
		"multicast":          "224.0.0.1",
		"broadcast":          "255.255.255.255",
		"ipv6-loopback":      "::1",
		"ipv6-unspecified":   "::",
		"ipv6-ula":           "fd00::1",
		"ipv6-link-local":    "fe80::1",
		"ipv6-multicast":     "ff02::1",
		"ipv4-mapped":        "::ffff:127.0.0.1",
		"ipv4-mapped-10":     "::ffff:10.0.0.1",
		"ipv4-mapped-meta":   "::ffff:169.254.169.254",
		"nat64-private":      "64:ff9b::a00:1",
		"sixtofour-loopback": "2002:7f00:1::1",
	}
	res := resolver{}
	for name, a := range classes {
		res[name+".test"] = addrs(a)
	}
	f := web.New(web.Config{AllowedPorts: anyPort, Resolver: res})
	for name, a := range classes {
		host := a
		if strings.Contains(a, ":") {
			host = "[" + a + "]"
		}
		_, err := fetch(t, f, "http://"+host+":"+port+"/")
		requireCode(t, err, domain.CodeFetchBlocked)
		_, err = fetch(t, f, "http://"+name+".test:"+port+"/")
		requireCode(t, err, domain.CodeFetchBlocked)
	}
	// A name with several addresses: each is checked as it is dialled (no test may send
	// packets to a real public address, so both are non-public here).
	res["mixed.test"] = addrs("192.0.2.1", "10.0.0.1")
	_, err := fetch(t, f, "http://mixed.test:"+port+"/")
	requireCode(t, err, domain.CodeFetchBlocked)
}

func TestAllowPrivateNetworksLiftsGuard(t *testing.T) {
	t.Parallel()
	_, port := server(t, htmlHandler("<p>internal</p>"))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: resolver{"intranet.test": {loopback}}})
	p, err := fetch(t, f, "http://intranet.test:"+port+"/")
	require.NoError(t, err)
	require.Contains(t, p.Text, "internal")
}

// A public-looking site that redirects to internal addresses: each hop is checked again.
func TestRedirectToPrivateIsBlocked(t *testing.T) {
	t.Parallel()
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-internal-name":
			http.Redirect(w, r, "http://db.internal.test:5432/", http.StatusMovedPermanently)
		case "/to-loopback6":
			http.Redirect(w, r, "http://[::1]:"+r.Host[strings.LastIndex(r.Host, ":")+1:]+"/", http.StatusTemporaryRedirect)
		case "/to-mapped":
			http.Redirect(w, r, "http://[::ffff:127.0.0.1]:"+r.Host[strings.LastIndex(r.Host, ":")+1:]+"/", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/to-gopher":
			http.Redirect(w, r, "gopher://public.test/", http.StatusFound)
		case "/to-creds":
			http.Redirect(w, r, "http://user:pass@public.test:"+r.Host[strings.LastIndex(r.Host, ":")+1:]+"/ok", http.StatusFound)
		case "/to-other-domain":
			http.Redirect(w, r, "http://elsewhere.test/", http.StatusFound)
		case "/ok":
			htmlHandler("<p>public</p>")(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	// public.test resolves to the test server, which the guard is told to treat as public;
	// everything else keeps the real policy.
	res := resolver{"public.test": {loopback}, "db.internal.test": addrs("10.1.2.3"), "elsewhere.test": addrs("93.184.216.34")}
	f := web.NewTreating(web.Config{AllowedPorts: anyPort, Resolver: res, AllowedDomains: []string{"public.test", "*.internal.test"}}, loopback)
	base := "http://public.test:" + port

	p, err := fetch(t, f, base+"/ok")
	require.NoError(t, err, "the stand-in public site itself is reachable")
	require.Contains(t, p.Text, "public")

	for _, path := range []string{"/to-metadata", "/to-internal-name", "/to-loopback6", "/to-mapped",
		"/to-file", "/to-gopher", "/to-creds", "/to-other-domain"} {
		_, err := fetch(t, f, base+path)
		requireCode(t, err, domain.CodeFetchBlocked)
	}
}

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		_, _ = fmt.Sscanf(r.URL.Path, "/hop/%d", &n)
		if n == 0 {
			htmlHandler("<p>arrived</p>")(w, r)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	p, err := fetch(t, f, "http://127.0.0.1:"+port+"/hop/5")
	require.NoError(t, err, "five redirects are followed")
	require.Equal(t, "http://127.0.0.1:"+port+"/hop/0", p.FinalURL)
	_, err = fetch(t, f, "http://127.0.0.1:"+port+"/hop/6")
	de := requireCode(t, err, domain.CodeFetchFailed)
	require.False(t, de.Retryable)

	none := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, MaxRedirects: -1})
	_, err = fetch(t, none, "http://127.0.0.1:"+port+"/hop/1")
	requireCode(t, err, domain.CodeFetchFailed)
}

func TestRefusedURLs(t *testing.T) {
	t.Parallel()
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, AllowedDomains: []string{"example.com", "*.example.org", "bücher.example"},
		Resolver: resolver{}})
	for _, u := range []string{
		"ftp://example.com/file",
		"file:///etc/passwd",
		"gopher://example.com/",
		"javascript:alert(1)",
		"data:text/html,<p>x</p>",
		"http://user:pass@example.com/",
		"https://user@example.com/",
		"http:///nohost",
		"http://evil.com/",
		"http://example.org/",                    // apex is not *.example.org
		"http://example.com.evil.com/",           // suffix trick
		"http://2130706433/",                     // decimal IPv4
		"http://0x7f000001/",                     // hex IPv4
		"http://127.1/",                          // short IPv4
		"http://0177.0.0.1/",                     // octal IPv4
		"http://xn--bcher-kva.example.com.evil/", // not allowed
		"http://ex\u0430mple.com/",               // Cyrillic a: a different host
	} {
		_, err := fetch(t, f, u)
		requireCode(t, err, domain.CodeFetchBlocked)
	}
}

func TestIDNHost(t *testing.T) {
	t.Parallel()
	hostHeader := make(chan string, 1)
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hostHeader <- r.Host
		htmlHandler("<p>Bücher</p>")(w, r)
	}))
	res := resolver{"xn--bcher-kva.example": {loopback}}
	for _, allow := range []string{"bücher.example", "xn--bcher-kva.example", "*.example", "BÜCHER.example"} {
		f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: res, AllowedDomains: []string{allow}})
		p, err := fetch(t, f, "http://Bücher.example:"+port+"/")
		require.NoError(t, err, allow)
		require.Equal(t, "http://xn--bcher-kva.example:"+port+"/", p.FinalURL)
		require.Equal(t, "xn--bcher-kva.example:"+port, <-hostHeader)
	}
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: res, AllowedDomains: []string{"buecher.example"}})
	_, err := fetch(t, f, "http://bücher.example:"+port+"/")
	requireCode(t, err, domain.CodeFetchBlocked)
}

func TestHTTPErrors(t *testing.T) {
	t.Parallel()
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/503":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "/429":
			w.Header().Set("Retry-After", "7")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		case "/304":
			w.WriteHeader(http.StatusNotModified)
		}
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	base := "http://127.0.0.1:" + port
	_, err := fetch(t, f, base+"/404")
	de := requireCode(t, err, domain.CodeFetchFailed)
	require.False(t, de.Retryable)
	require.Equal(t, 404, de.Details["status"])

	_, err = fetch(t, f, base+"/503")
	require.True(t, requireCode(t, err, domain.CodeFetchFailed).Retryable)

	_, err = fetch(t, f, base+"/429")
	de = requireCode(t, err, domain.CodeFetchFailed)
	require.True(t, de.Retryable)
	require.Equal(t, 7*time.Second, de.RetryAfter)

	_, err = fetch(t, f, base+"/304")
	requireCode(t, err, domain.CodeFetchFailed)
}

func TestNetworkErrors(t *testing.T) {
	t.Parallel()
	addr := harness.RefusedAddr(t) // a port nobody listens on
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: resolver{}})
	_, err := fetch(t, f, "http://"+addr+"/")
	require.True(t, requireCode(t, err, domain.CodeFetchFailed).Retryable, "connection refused is transient")

	_, err = fetch(t, f, "http://no-such-host.test/")
	de := requireCode(t, err, domain.CodeFetchFailed)
	require.False(t, de.Retryable, "an unknown host stays unknown")
}
