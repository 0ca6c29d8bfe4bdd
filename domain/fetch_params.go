package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFetchURLLen bounds params.url; longer URLs are refused by most servers anyway.
const MaxFetchURLLen = 8192

// FetchParams are the normalized params of a fetch_url task: what Validate stores and Run
// reads.
type FetchParams struct {
	URL          string `json:"url"`
	ReaderMode   bool   `json:"reader_mode"`
	StoreRawHTML bool   `json:"store_raw_html"`
	// Formats are the renderings to store, deduplicated in result order (text, markdown,
	// links, html); html is in them exactly when StoreRawHTML is set. Params stored before
	// formats existed have none: see EffectiveFormats.
	Formats []FetchFormat `json:"formats,omitempty"`
}

// fetchInput is the wire shape of fetch params; pointers tell absent from zero.
type fetchInput struct {
	URL          *string         `json:"url"`
	ReaderMode   *bool           `json:"reader_mode"`
	StoreRawHTML *bool           `json:"store_raw_html"`
	Formats      json.RawMessage `json:"formats"`
}

// ParseFetchParams validates and normalizes the params of a fetch_url task: url required,
// an absolute http(s) URL without credentials whose host matches FETCH_DOMAIN_ALLOWLIST and
// whose port FETCH_ALLOWED_PORTS; reader_mode defaults to true, store_raw_html to false,
// formats to ["text"] (an empty list or an unknown format is task_rejected_invalid_params
// naming "params.formats").
// Unknown fields are ignored, as for search. Wrong JSON types are invalid_request naming the field; bad values are
// task_rejected_invalid_params naming "params.url".
func ParseFetchParams(raw json.RawMessage, l Limits) (FetchParams, error) {
	var in fetchInput
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return FetchParams{}, InvalidRequest("params", "params must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			field := "params." + strings.SplitN(te.Field, ".", 2)[0]
			return FetchParams{}, InvalidRequest(field, "%s has the wrong type", field)
		}
		return FetchParams{}, InvalidRequest("params", "params must be a JSON object")
	}
	if in.URL == nil {
		return FetchParams{}, InvalidParams("params.url", "params.url is required")
	}
	u, err := ValidateFetchURL(*in.URL, l)
	if err != nil {
		return FetchParams{}, err
	}
	p := FetchParams{URL: u, ReaderMode: true}
	if in.ReaderMode != nil {
		p.ReaderMode = *in.ReaderMode
	}
	if in.StoreRawHTML != nil {
		p.StoreRawHTML = *in.StoreRawHTML
	}
	if p.Formats, err = parseFetchFormats(in.Formats, p.StoreRawHTML); err != nil {
		return FetchParams{}, err
	}
	p.StoreRawHTML = p.Wants(FormatHTML) // formats ["html"] and store_raw_html mean the same
	return p, nil
}

// ValidateFetchURL checks a URL to fetch and returns it trimmed. The page fetcher checks
// scheme, credentials, allowlist (the same HostAllowlist, on the name it will dial) and
// port again for the URL and every redirect, and the connected address besides; this is
// the early, cheap refusal.
func ValidateFetchURL(raw string, l Limits) (string, error) {
	const field = "params.url"
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		return "", InvalidParams(field, "params.url must not be empty")
	case len(s) > MaxFetchURLLen:
		return "", InvalidParams(field, "params.url is longer than %d bytes", MaxFetchURLLen)
	case !utf8.ValidString(s):
		return "", InvalidParams(field, "params.url is not valid UTF-8")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", InvalidParams(field, "params.url is not a valid URL")
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return "", InvalidParams(field, "params.url must be an absolute http or https URL")
	}
	if u.User != nil {
		return "", InvalidParams(field, "params.url must not contain credentials")
	}
	host := u.Hostname()
	if host == "" {
		return "", InvalidParams(field, "params.url has no host")
	}
	if !l.DomainAllowed(host) {
		return "", InvalidParams(field, "host %s is not in FETCH_DOMAIN_ALLOWLIST", host)
	}
	if !FetchPortAllowed(l.FetchAllowedPorts, u.Scheme, u.Port()) {
		return "", InvalidParams(field, "port %s is not in FETCH_ALLOWED_PORTS", portOf(u)).
			WithDetail("allowed_ports", l.FetchAllowedPorts)
	}
	return s, nil
}

// portOf names the port a URL connects to, for messages.
func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if n, ok := EffectivePort(u.Scheme, ""); ok {
		return strconv.Itoa(n)
	}
	return "(none)"
}

// FetchCacheKey is the cache key under which a finished fetch's artifact ids are kept.
func FetchCacheKey(fetchKey string) string { return "fetch:" + fetchKey }
