package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults of Config.
const (
	// DefaultUserAgent names the client honestly, so site operators can tell who fetched.
	DefaultUserAgent = "taskrunner/dev (+https://github.com/taskrunner/taskrunner)"
	// DefaultMaxRedirects is the redirect limit of the design.
	DefaultMaxRedirects = 5
	// DefaultTimeout bounds one fetch.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxBytes caps the body when a request names no cap (the default artifact limit).
	DefaultMaxBytes = 25 << 20
)

// Resolver looks up the addresses of a host name; *net.Resolver satisfies it. Tests map
// names to addresses of their choosing through it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config configures a Fetcher.
type Config struct {
	// AllowedDomains are FETCH_DOMAIN_ALLOWLIST patterns ("*", "example.com",
	// "*.example.com"); checked for the first URL and every redirect. Nil means "*", the
	// documented default.
	AllowedDomains []string
	// AllowedPorts are FETCH_ALLOWED_PORTS patterns ("80", "443", "*" for any); checked for
	// the first URL and every redirect, whatever AllowPrivateNetworks says: the two rules
	// are separate opt-ins. Nil means domain.DefaultFetchPorts (80 and 443).
	AllowedPorts []string
	// AllowPrivateNetworks (FETCH_ALLOW_PRIVATE_NETWORKS) lifts the address guard, for tests
	// and private deployments only.
	AllowPrivateNetworks bool
	// UserAgent is sent with every request; "" means DefaultUserAgent.
	UserAgent string
	// MaxRedirects is how many redirects are followed; 0 means DefaultMaxRedirects, a
	// negative value follows none.
	MaxRedirects int
	// Timeout bounds one fetch (connect, redirects, headers and body); 0 means
	// DefaultTimeout. An earlier context deadline (the task's runtime limit) wins.
	Timeout time.Duration
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
	// TLSConfig is the client TLS configuration (e.g. a private CA); nil means the system
	// defaults.
	TLSConfig *tls.Config
}

// Fetcher downloads pages safely. It is safe for concurrent use.
type Fetcher struct {
	cfg       Config
	allowlist domain.HostAllowlist
	client    *http.Client
}

var _ ports.PageFetcher = (*Fetcher)(nil)

// New returns a Fetcher with the config's defaults applied.
func New(cfg Config) *Fetcher {
	if cfg.AllowedDomains == nil {
		cfg.AllowedDomains = []string{"*"}
	}
	if cfg.AllowedPorts == nil {
		cfg.AllowedPorts = domain.DefaultFetchPorts()
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	return newFetcher(cfg, publicAddr)
}

func newFetcher(cfg Config, isPublic func(netip.Addr) bool) *Fetcher {
	f := &Fetcher{cfg: cfg, allowlist: domain.NewHostAllowlist(cfg.AllowedDomains)}
	d := &dialer{resolver: cfg.Resolver, allowPrivate: cfg.AllowPrivateNetworks, isPublic: isPublic}
	transport := &http.Transport{
		// No proxy: a proxy would make the dialled address the proxy's, bypassing the guard.
		Proxy:                  nil,
		DialContext:            d.DialContext,
		TLSClientConfig:        cfg.TLSConfig,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
	f.client = &http.Client{Transport: transport, CheckRedirect: f.checkRedirect}
	return f
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// Fetch downloads r.URL. Errors are *domain.Error: fetch_blocked (scheme, credentials,
// allowlist, port, address guard, redirect to any of these), fetch_failed (network,
// timeout, HTTP 4xx/5xx, too many redirects; Retryable for network errors, timeouts, 429
// and 5xx), fetch_unsupported_content, artifact_size_exceeded (nothing is returned then;
// with r.Truncate the first MaxBytes are returned instead).
func (f *Fetcher) Fetch(ctx context.Context, r domain.FetchRequest) (domain.Page, error) {
	// The earlier of the task's deadline and the fetch timeout: a server that dribbles
	// bytes must not hold a worker for the task's whole runtime.
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	maxBytes := r.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil {
		return domain.Page{}, blocked("the URL does not parse")
	}
	if err := f.checkURL(u); err != nil {
		return domain.Page{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return domain.Page{}, blocked("the URL is not a valid request target")
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")

	resp, err := f.client.Do(req)
	if err != nil {
		return domain.Page{}, translate(ctx, err)
	}
	defer resp.Body.Close()

	if err := statusError(resp); err != nil {
		return domain.Page{}, err
	}
	mediaType, params := parseContentType(resp.Header.Get("Content-Type"))
	if mediaType != "" && !supported(mediaType) {
		return domain.Page{}, unsupported(mediaType)
	}
	if resp.ContentLength > maxBytes && !r.Truncate {
		return domain.Page{}, tooLarge(resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return domain.Page{}, translate(ctx, err)
	}
	if int64(len(body)) > maxBytes {
		if !r.Truncate {
			return domain.Page{}, tooLarge(int64(len(body)), maxBytes)
		}
		body = body[:maxBytes]
	}
	if mediaType == "" { // no header: sniff as a browser would
		mediaType, params = parseContentType(http.DetectContentType(body))
		if !supported(mediaType) {
			return domain.Page{}, unsupported(mediaType)
		}
	}
	text, charsetName := decode(body, mediaType, params["charset"])
	return domain.Page{
		URL:         r.URL,
		FinalURL:    resp.Request.URL.String(),
		StatusCode:  resp.StatusCode,
		ContentType: mediaType,
		Charset:     charsetName,
		Body:        body,
		Text:        text,
	}, nil
}

// checkRedirect re-checks every hop: count, scheme, credentials, allowlist, port. The address
// guard runs again in the dialer when the hop connects.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects || f.cfg.MaxRedirects < 0 {
		return errTooManyRedirects
	}
	return f.checkURL(req.URL)
}

// checkURL enforces scheme, credentials, allowlist and port, and rewrites an IDN host to its
// ASCII form in place so that the allowlist and the connection see the same name.
func (f *Fetcher) checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return blocked("only http and https URLs are fetched, not %q", u.Scheme)
	}
	if u.User != nil {
		return blocked("URLs with credentials are not fetched")
	}
	host, err := asciiHost(u.Hostname())
	if err != nil {
		return err
	}
	if !f.allowlist.Allows(host) {
		return blocked("host %s is not on the fetch allowlist", host)
	}
	if !domain.FetchPortAllowed(f.cfg.AllowedPorts, u.Scheme, u.Port()) {
		return blocked("port %s is not in FETCH_ALLOWED_PORTS", portName(u))
	}
	if port := u.Port(); port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	return nil
}

// portName is the port u connects to, for messages.
func portName(u *url.URL) string {
	if n, ok := domain.EffectivePort(u.Scheme, u.Port()); ok {
		return strconv.Itoa(n)
	}
	return strconv.Quote(u.Port())
}

func statusError(resp *http.Response) error {
	code := resp.StatusCode
	if code < 400 {
		if code >= 300 { // a redirect without a usable Location, or 304
			return domain.NewError(domain.CodeFetchFailed, "the server answered %d without a page", code)
		}
		return nil
	}
	e := domain.NewError(domain.CodeFetchFailed, "the server answered %d", code).WithDetail("status", code)
	if code == http.StatusTooManyRequests || code >= 500 {
		e.Transient()
		e.RetryAfter = domain.RetryAfterSeconds(retryAfter(resp.Header.Get("Retry-After")))
	}
	return e
}

func parseContentType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil {
		// A malformed header still usually starts with the media type.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		if mt == "" {
			mt = "application/octet-stream"
		}
	}
	return mt, params
}

func supported(mediaType string) bool {
	switch mediaType {
	case "text/html", "application/xhtml+xml", "text/plain":
		return true
	}
	return false
}

// utf8BOM is stripped from decoded text; the HTML parser would keep it as text otherwise.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }
