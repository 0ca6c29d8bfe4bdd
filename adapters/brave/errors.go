package brave

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"taskrunner/adapters/internal/providerhttp"
	"taskrunner/domain"
)

// errorBody is Brave's error answer. Live answers carry one "error" object; the reference
// shows an "errors" array of the same objects: both are read.
type errorBody struct {
	Error  *apiError  `json:"error"`
	Errors []apiError `json:"errors"`
}

type apiError struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Meta   struct {
		Errors []struct {
			Loc []any  `json:"loc"`
			Msg string `json:"msg"`
		} `json:"errors"`
	} `json:"meta"`
}

// providerError is a permanent provider_error naming brave.
func providerError(format string, args ...any) *domain.Error {
	return providerhttp.Error(Name, format, args...)
}

// classify turns a non-200 answer into a provider error. Brave's error.code decides first,
// because the status alone cannot tell a wrong key from a wrong parameter (both 422); the
// status decides when the body carries no code (an HTML page from a proxy, say).
func classify(status int, h http.Header, body []byte, now time.Time) error {
	var eb errorBody
	var e apiError
	if json.Unmarshal(body, &eb) == nil {
		switch {
		case eb.Error != nil:
			e = *eb.Error
		case len(eb.Errors) > 0:
			e = eb.Errors[0]
		}
	}
	code := strings.ToUpper(strings.TrimSpace(e.Code))
	mk := func(err *domain.Error) *domain.Error {
		err.WithDetail("http_status", status)
		if code != "" {
			err.WithDetail("provider_code", code)
		}
		return err
	}
	switch {
	case code == "SUBSCRIPTION_TOKEN_INVALID":
		return mk(providerError("brave rejected the API key: BRAVE_API_KEY is wrong"))
	case code == "VALIDATION" && missingTokenHeader(e):
		return mk(providerError("brave says the API key is missing: BRAVE_API_KEY is not being sent"))
	case code == "VALIDATION":
		return mk(providerError("brave rejected the request parameters: %s", validationText(e)))
	case code == "OPTION_NOT_IN_PLAN":
		return mk(providerError("brave refused an option that the subscription plan does not include: %s", providerhttp.Excerpt(e.Detail)))
	case code == "SUBSCRIPTION_NOT_FOUND":
		return mk(providerError("brave has no subscription for this API key: check BRAVE_API_KEY"))
	case code == "QUOTA_LIMITED":
		return mk(providerError("brave's monthly quota for this API key is used up"))
	case code == "RATE_LIMITED" || status == http.StatusTooManyRequests:
		err := mk(providerError("brave rate limit exceeded; retry later")).Transient()
		err.RetryAfter = domain.RetryAfterSeconds(int64(retryAfter(h, now)))
		return err
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return mk(providerError("brave rejected the API key (HTTP %d): BRAVE_API_KEY is wrong", status))
	case status >= 500:
		return mk(providerError("brave answered HTTP %d", status)).Transient()
	case code != "":
		return mk(providerError("brave answered HTTP %d %s: %s", status, code, providerhttp.Excerpt(e.Detail)))
	default:
		return mk(providerError("brave answered HTTP %d", status))
	}
}

func missingTokenHeader(e apiError) bool {
	for _, fe := range e.Meta.Errors {
		for _, l := range fe.Loc {
			if s, ok := l.(string); ok && strings.EqualFold(s, "x-subscription-token") {
				return true
			}
		}
	}
	return false
}

func validationText(e apiError) string {
	var parts []string
	for _, fe := range e.Meta.Errors {
		var loc []string
		for _, l := range fe.Loc {
			if s, ok := l.(string); ok {
				loc = append(loc, s)
			}
		}
		parts = append(parts, strings.Join(loc, ".")+": "+fe.Msg)
	}
	if len(parts) == 0 {
		return providerhttp.Excerpt(e.Detail)
	}
	return providerhttp.Excerpt(strings.Join(parts, "; "))
}

// retryAfter is how many seconds to wait after a 429: Retry-After when present (seconds or
// an HTTP date), else the X-RateLimit-Reset of the exhausted window (the shortest one that
// has Remaining 0), else that of the per-second window from X-RateLimit-Policy; 0 when
// nothing says.
func retryAfter(h http.Header, now time.Time) int {
	if n, ok := providerhttp.RetryAfter(h, now); ok {
		return n
	}
	resets := intList(h.Get("X-RateLimit-Reset"))
	remaining := intList(h.Get("X-RateLimit-Remaining"))
	best := -1
	for i, r := range remaining {
		if r == 0 && i < len(resets) && resets[i] >= 0 && (best < 0 || resets[i] < best) {
			best = resets[i]
		}
	}
	if best >= 0 {
		return best
	}
	for i, p := range strings.Split(h.Get("X-RateLimit-Policy"), ",") {
		if policyWindow(p) == 1 && i < len(resets) && resets[i] >= 0 {
			return resets[i]
		}
	}
	return 0
}

// policyWindow reads the window in seconds from one policy entry ("1;w=1"); -1 if none.
func policyWindow(p string) int {
	for _, f := range strings.Split(p, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(f), "w="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return -1
}

// intList parses "1, 1419704"; unreadable positions become -1 so positions stay aligned.
func intList(s string) []int {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			n = -1
		}
		out[i] = n
	}
	return out
}
