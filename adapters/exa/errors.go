package exa

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"taskrunner/domain"
)

// errorBody is Exa's flat error answer; a 429 carries only "error". Gateways may send HTML,
// which then leaves every field empty and the status decides.
type errorBody struct {
	RequestID string `json:"requestId"`
	Error     string `json:"error"`
	Tag       string `json:"tag"`
}

// providerError is a permanent provider_error naming exa.
func providerError(format string, args ...any) *domain.Error {
	return domain.NewError(domain.CodeProviderError, format, args...).WithDetail("provider", Name)
}

// classify turns a non-200 answer into a provider error: 429 and 5xx (but 501) are
// transient, everything else permanent; the message says what to fix where it is clear.
func classify(status int, h http.Header, body []byte, now time.Time) error {
	var eb errorBody
	_ = json.Unmarshal(body, &eb) // a non-JSON body leaves eb empty: classify by status
	tag := strings.ToUpper(strings.TrimSpace(eb.Tag))
	var err *domain.Error
	switch {
	case status == http.StatusUnauthorized || tag == "INVALID_API_KEY":
		err = providerError("exa rejected the API key: EXA_API_KEY is wrong")
	case status == http.StatusPaymentRequired:
		err = providerError("exa has no credits or budget left for this API key")
	case status == http.StatusTooManyRequests:
		err = providerError("exa rate limit exceeded; retry later").Transient()
		err.RetryAfter = retryAfter(h, now)
	case status == http.StatusNotImplemented:
		err = providerError("exa answered HTTP 501")
	case status >= 500:
		err = providerError("exa answered HTTP %d", status).Transient()
	case status == http.StatusForbidden:
		err = providerError("exa refused the request (HTTP 403)%s", detail(tag, eb.Error))
	case status == http.StatusBadRequest:
		err = providerError("exa rejected the request%s", detail(tag, eb.Error))
	default:
		err = providerError("exa answered HTTP %d%s", status, detail(tag, eb.Error))
	}
	err.WithDetail("http_status", status)
	if tag != "" {
		err.WithDetail("provider_code", tag)
	}
	if eb.RequestID != "" {
		err.WithDetail("request_id", excerpt(eb.RequestID))
	}
	return err
}

func detail(tag, msg string) string {
	switch {
	case tag != "" && msg != "":
		return ": " + tag + ": " + excerpt(msg)
	case tag != "":
		return ": " + tag
	case msg != "":
		return ": " + excerpt(msg)
	}
	return ""
}

// excerpt is a short, printable piece of provider text, safe for task errors and logs.
func excerpt(s string) string {
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

// transportError classifies a failed round trip: always transient.
func transportError(ctx context.Context, err error, timeout time.Duration) error {
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return providerError("exa did not answer within %s", timeout).Transient().WithCause(err)
	}
	if errors.Is(err, context.Canceled) {
		return providerError("exa request cancelled").Transient().WithCause(err)
	}
	return providerError("exa could not be reached (network error)").Transient().WithCause(err)
}

// retryAfter reads Retry-After (seconds or an HTTP date); 0 when absent. Exa documents no
// rate-limit headers.
func retryAfter(h http.Header, now time.Time) int {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return n
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, int(math.Ceil(t.Sub(now).Seconds())))
	}
	return 0
}
