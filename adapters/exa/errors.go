package exa

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"taskrunner/adapters/internal/providerhttp"
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
	return providerhttp.Error(Name, format, args...)
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
		secs, _ := providerhttp.RetryAfter(h, now)
		err.RetryAfter = domain.RetryAfterSeconds(int64(secs))
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
		err.WithDetail("request_id", providerhttp.Excerpt(eb.RequestID))
	}
	return err
}

func detail(tag, msg string) string {
	switch {
	case tag != "" && msg != "":
		return ": " + tag + ": " + providerhttp.Excerpt(msg)
	case tag != "":
		return ": " + tag
	case msg != "":
		return ": " + providerhttp.Excerpt(msg)
	}
	return ""
}
