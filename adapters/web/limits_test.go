package web_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/domain"
)

func TestBodyCap(t *testing.T) {
	t.Parallel()
	const limit = 1000
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", "text/plain")
		if r.URL.Query().Get("chunked") == "1" {
			// No Content-Length: the cap must hold while reading.
			fl := w.(http.Flusher)
			for i := 0; i < n; i++ {
				_, _ = w.Write([]byte("x"))
				if i%100 == 0 {
					fl.Flush()
				}
			}
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		_, _ = w.Write([]byte(strings.Repeat("x", n)))
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	get := func(q string) (domain.Page, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return f.Fetch(ctx, domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/?" + q, MaxBytes: limit})
	}
	p, err := get("n=1000")
	require.NoError(t, err, "exactly at the cap")
	require.Len(t, p.Body, limit)
	p, err = get("n=1000&chunked=1")
	require.NoError(t, err)
	require.Len(t, p.Body, limit)

	for _, q := range []string{"n=1001", "n=1001&chunked=1", "n=50000&chunked=1"} {
		p, err := get(q)
		de := requireCode(t, err, domain.CodeArtifactSizeExceeded)
		require.EqualValues(t, limit, de.Details["limit_bytes"])
		require.Empty(t, p.Body, "nothing is returned past the cap")
	}
}

func TestSlowBodyPastDeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body><p>first part"))
		w.(http.Flusher).Flush()
		select { // the rest never comes in time
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := f.Fetch(ctx, domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/", MaxBytes: 1 << 20})
	de := requireCode(t, err, domain.CodeFetchFailed)
	require.True(t, de.Retryable)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "the cause is the deadline: %v", err)
}

func TestSlowHeadersPastDeadline(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Timeout: 200 * time.Millisecond})
	// Config.Timeout applies without a context deadline and before a later one.
	_, err := f.Fetch(context.Background(), domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/"})
	requireCode(t, err, domain.CodeFetchFailed)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err = f.Fetch(ctx, domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/"})
	requireCode(t, err, domain.CodeFetchFailed)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}

func TestContentTypes(t *testing.T) {
	t.Parallel()
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.URL.Query().Get("ct")
		body := r.URL.Query().Get("body")
		if ct != "-" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header()["Content-Type"] = nil // suppress Go's sniffing
		}
		_, _ = w.Write([]byte(body))
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	get := func(ct, body string) (domain.Page, error) {
		return fetch(t, f, "http://127.0.0.1:"+port+"/?ct="+urlQuery(ct)+"&body="+urlQuery(body))
	}
	for _, ct := range []string{"application/pdf", "image/png", "application/json", "application/octet-stream",
		"text/css", "application/javascript", "video/mp4", "text/xml"} {
		_, err := get(ct, "data")
		de := requireCode(t, err, domain.CodeFetchUnsupported)
		require.Equal(t, ct, de.Details["content_type"])
	}
	for ct, want := range map[string]string{
		"text/html":                            "text/html",
		"TEXT/HTML; Charset=UTF-8":             "text/html",
		"application/xhtml+xml; charset=utf-8": "application/xhtml+xml",
		"text/plain":                           "text/plain",
	} {
		p, err := get(ct, "<p>ok</p>")
		require.NoError(t, err, ct)
		require.Equal(t, want, p.ContentType)
	}
	// No Content-Type at all: sniffed as a browser would.
	p, err := get("-", "<!DOCTYPE html><html><body>sniffed</body></html>")
	require.NoError(t, err)
	require.Equal(t, "text/html", p.ContentType)
	_, err = get("-", "%PDF-1.4 binary")
	requireCode(t, err, domain.CodeFetchUnsupported)
}

func urlQuery(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", " ", "%20", ";", "%3B", "=", "%3D", "#", "%23")
	return r.Replace(s)
}
