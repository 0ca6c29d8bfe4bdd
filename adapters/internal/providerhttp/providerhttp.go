// Package providerhttp holds what the search provider clients (brave, exa) share about
// talking HTTP to a provider: how a failed round trip is classified, how Retry-After is
// read, and how provider text is made safe to show in task errors and logs. It sits under
// adapters/internal because it is a library, not an adapter: it implements no port and
// bootstrap never wires it, and an adapter may import a library but never another adapter.
package providerhttp

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Error is a permanent provider_error naming the provider in its details.
func Error(provider, format string, args ...any) *domain.Error {
	return domain.NewError(domain.CodeProviderError, format, args...).WithDetail("provider", provider)
}

// TransportError classifies a failed round trip: always transient (network trouble or a
// timeout), with a message that says which.
func TransportError(ctx context.Context, provider string, err error, timeout time.Duration) error {
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return Error(provider, "%s did not answer within %s", provider, timeout).Transient().WithCause(err)
	}
	if errors.Is(err, context.Canceled) {
		return Error(provider, "%s request cancelled", provider).Transient().WithCause(err)
	}
	return Error(provider, "%s could not be reached (network error)", provider).Transient().WithCause(err)
}

// RetryAfter reads a Retry-After header (seconds or an HTTP date) as whole seconds from now;
// ok is false when the header is absent or unreadable.
func RetryAfter(h http.Header, now time.Time) (seconds int, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, int(math.Ceil(t.Sub(now).Seconds()))), true
	}
	return 0, false
}

// Excerpt is a short, printable piece of provider text, safe for task errors and logs:
// control characters become spaces, runs of space fold, and it is cut at 200 runes.
func Excerpt(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Response is a provider's answer, read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req and reads the answer, at most maxBody bytes: a transport failure is a
// transient provider error, a larger answer a permanent one. Any status is returned as is;
// telling errors apart is the provider's own business.
func Do(ctx context.Context, c *http.Client, req *http.Request, provider string, timeout time.Duration, maxBody int64) (Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return Response{}, TransportError(ctx, provider, err, timeout)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return Response{}, TransportError(ctx, provider, err, timeout)
	}
	if int64(len(body)) > maxBody {
		return Response{}, Error(provider, "%s answered with more than %d MB", provider, maxBody>>20).WithDetail("http_status", resp.StatusCode)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// EndpointURL resolves a provider URL setting: empty → def; an origin without a path gets
// defPath; anything else is used as is. It must be an absolute http(s) URL.
func EndpointURL(raw, def, defPath string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("must be an absolute http(s) URL")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = defPath
	}
	return u.String(), nil
}

// ClientConfig is what every provider client is configured with. Only APIKey may be empty
// (then the provider's Search fails at once with provider_not_configured).
type ClientConfig struct {
	APIKey     string
	URL        string        // full endpoint URL; "" = the provider's default; an origin alone gets its default path
	Timeout    time.Duration // per request; 0 = the provider's default
	HTTPClient *http.Client  // nil = a plain client (the timeout is applied through the context)
	Clock      ports.Clock   // for date-based recency filters; nil = the system clock
}

// Client is the part every provider client shares: its key, endpoint, timeout, HTTP client
// and clock, resolved from a ClientConfig and the provider's defaults.
type Client struct {
	Key     string
	URL     string
	Timeout time.Duration
	HTTP    *http.Client
	Now     func() time.Time
}

// NewClient resolves cfg against the provider's default URL (an origin alone gets defPath)
// and default timeout.
func NewClient(cfg ClientConfig, defURL, defPath string, defTimeout time.Duration) (Client, error) {
	endpoint, err := EndpointURL(cfg.URL, defURL, defPath)
	if err != nil {
		return Client{}, err
	}
	c := Client{Key: cfg.APIKey, URL: endpoint, Timeout: cfg.Timeout, HTTP: cfg.HTTPClient}
	if cfg.Clock != nil {
		c.Now = cfg.Clock.Now
	}
	if c.Timeout <= 0 {
		c.Timeout = defTimeout
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{}
	}
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	return c, nil
}
