package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestParseFetchParams(t *testing.T) {
	t.Parallel()
	l := domain.DefaultLimits()
	p, err := domain.ParseFetchParams(json.RawMessage(`{"url":" https://example.com/a "}`), l)
	require.NoError(t, err)
	require.Equal(t, domain.FetchParams{URL: "https://example.com/a", ReaderMode: true, StoreRawHTML: false,
		Formats: []domain.FetchFormat{domain.FormatText}}, p)

	p, err = domain.ParseFetchParams(json.RawMessage(`{"url":"http://example.com","reader_mode":false,"store_raw_html":true,"extra":1}`), l)
	require.NoError(t, err)
	require.Equal(t, domain.FetchParams{URL: "http://example.com", ReaderMode: false, StoreRawHTML: true,
		Formats: []domain.FetchFormat{domain.FormatText, domain.FormatHTML}}, p)

	invalid := map[string]string{
		`{}`:                                    "params.url",
		`{"url":""}`:                            "params.url",
		`{"url":"example.com/a"}`:               "params.url",
		`{"url":"/relative"}`:                   "params.url",
		`{"url":"ftp://example.com/"}`:          "params.url",
		`{"url":"file:///etc/passwd"}`:          "params.url",
		`{"url":"javascript:alert(1)"}`:         "params.url",
		`{"url":"http://user:pw@example.com/"}`: "params.url",
		`{"url":"http:///path"}`:                "params.url",
		`{"url":"http://exa mple.com/"}`:        "params.url",
	}
	for body, field := range invalid {
		_, err := domain.ParseFetchParams(json.RawMessage(body), l)
		requireFetchField(t, err, domain.CodeInvalidParams, field, body)
	}
	wrongType := map[string]string{
		`{"url":5}`: "params.url",
		`{"url":"https://e.com","reader_mode":"yes"}`: "params.reader_mode",
		`{"url":"https://e.com","store_raw_html":1}`:  "params.store_raw_html",
		`[]`: "params",
		``:   "params",
	}
	for body, field := range wrongType {
		_, err := domain.ParseFetchParams(json.RawMessage(body), l)
		requireFetchField(t, err, domain.CodeInvalidRequest, field, body)
	}
}

func TestParseFetchParamsAllowlist(t *testing.T) {
	t.Parallel()
	l := domain.DefaultLimits()
	l.FetchDomainAllowlist = []string{"example.com", "*.docs.example.org", "bücher.example"}
	for _, ok := range []string{"https://example.com/", "https://EXAMPLE.com./x", "https://api.docs.example.org/",
		"https://bücher.example/", "https://xn--bcher-kva.example/"} {
		_, err := domain.ParseFetchParams(json.RawMessage(`{"url":"`+ok+`"}`), l)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"https://www.example.com/", "https://docs.example.org/", "https://example.com.evil.net/",
		"https://evil.net/?example.com"} {
		_, err := domain.ParseFetchParams(json.RawMessage(`{"url":"`+bad+`"}`), l)
		requireFetchField(t, err, domain.CodeInvalidParams, "params.url", bad)
	}
}

func requireFetchField(t *testing.T, err error, code domain.Code, field, msg string) {
	t.Helper()
	require.Error(t, err, msg)
	var de *domain.Error
	require.ErrorAs(t, err, &de, msg)
	require.Equal(t, code, de.Code, msg)
	require.Equal(t, field, de.Details["field"], msg)
}

func TestParseFetchParamsPorts(t *testing.T) {
	t.Parallel()
	l := domain.DefaultLimits()
	for _, ok := range []string{"http://example.com/", "https://example.com/", "http://example.com:80/",
		"https://example.com:443/", "http://example.com:443/", "https://example.com:080/"} {
		_, err := domain.ParseFetchParams(json.RawMessage(`{"url":"`+ok+`"}`), l)
		require.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://example.com:8080/", "http://example.com:22/", "https://example.com:6379/",
		"http://example.com:0/", "http://example.com:65536/", "http://[::1]:5432/"} {
		_, err := domain.ParseFetchParams(json.RawMessage(`{"url":"`+bad+`"}`), l)
		requireFetchField(t, err, domain.CodeInvalidParams, "params.url", bad)
	}

	l.FetchAllowedPorts = []string{"80", "443", "8080"}
	_, err := domain.ParseFetchParams(json.RawMessage(`{"url":"http://example.com:8080/"}`), l)
	require.NoError(t, err)
	l.FetchAllowedPorts = []string{"*"}
	_, err = domain.ParseFetchParams(json.RawMessage(`{"url":"http://example.com:6379/"}`), l)
	require.NoError(t, err, "* allows every port")
	l.FetchAllowedPorts = nil
	_, err = domain.ParseFetchParams(json.RawMessage(`{"url":"http://example.com/"}`), l)
	requireFetchField(t, err, domain.CodeInvalidParams, "params.url", "an empty list allows no port")
}
