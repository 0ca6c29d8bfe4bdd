package contract

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// PageFetcher is the contract of ports.PageFetcher. The suite serves its pages from an
// httptest server on loopback, so newFetcher(t, true) must return a fetcher allowed to
// reach private addresses (FETCH_ALLOW_PRIVATE_NETWORKS) and newFetcher(t, false) one with
// the address guard on, which must refuse that server.
func PageFetcher(t *testing.T, newFetcher func(t *testing.T, allowPrivateNetworks bool) ports.PageFetcher) {
	t.Helper()
	open := func(t *testing.T) ports.PageFetcher { return newFetcher(t, true) }
	runSuite(t, open, []suiteCase[ports.PageFetcher]{
		{"Fetch", "HTMLPage", fetchHTML},
		{"Fetch", "DecodesDeclaredCharset", fetchCharset},
		{"Fetch", "FollowsRedirect", fetchRedirect},
		{"Fetch", "BodyAtMaxBytes", fetchAtLimit},
		{"Fetch", "BodyOverMaxBytes", fetchOverLimit},
		{"Fetch", "UnsupportedContentType", fetchUnsupported},
		{"Fetch", "NotFoundIsPermanent", fetchStatus(http.StatusNotFound, false)},
		{"Fetch", "ServiceUnavailableIsRetryable", fetchStatus(http.StatusServiceUnavailable, true)},
		{"Fetch", "BlocksOtherSchemes", fetchScheme},
		{"Fetch", "CancelledContext", fetchCancelled},
		{"Fetch", "CancelledWhileWaiting", fetchCancelledWaiting},
		{"Fetch", "GuardBlocksPrivateAddress", func(t *testing.T, _ ports.PageFetcher) {
			var hits atomic.Int32
			srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) {
				hits.Add(1)
				writePage(w, "text/html; charset=utf-8", []byte(testHTML))
			})
			_, err := newFetcher(t, false).Fetch(t.Context(), domain.FetchRequest{URL: srv.URL + "/", MaxBytes: 1 << 20})
			requireCode(t, err, domain.CodeFetchBlocked)
			require.Zero(t, hits.Load(), "the guard refuses before any request is sent")
		}},
	})
}

const testHTML = "<!doctype html><html><head><title>Contract</title></head><body><p>Grüße, ünïcode ✓</p></body></html>"

// pageServer starts a server for one subtest. Handlers that wait must also end on the
// request's context, because Close waits for them.
func pageServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func writePage(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

func fetchPage(t *testing.T, f ports.PageFetcher, rawURL string, maxBytes int64) (domain.Page, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	return f.Fetch(ctx, domain.FetchRequest{URL: rawURL, MaxBytes: maxBytes})
}

func fetchHTML(t *testing.T, f ports.PageFetcher) {
	srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writePage(w, "text/html; charset=utf-8", []byte(testHTML))
	})
	u := srv.URL + "/page?q=1"
	p, err := fetchPage(t, f, u, 1<<20)
	require.NoError(t, err)
	require.Equal(t, u, p.URL)
	require.Equal(t, u, p.FinalURL)
	require.Equal(t, http.StatusOK, p.StatusCode)
	require.Equal(t, "text/html", p.ContentType, "the media type without parameters")
	require.Equal(t, []byte(testHTML), p.Body)
	require.Equal(t, testHTML, p.Text)
}

func fetchCharset(t *testing.T, f ports.PageFetcher) {
	body := []byte("<html><body><p>caf\xe9 \xfcber</p></body></html>") // ISO-8859-1
	srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writePage(w, "text/html; charset=ISO-8859-1", body)
	})
	p, err := fetchPage(t, f, srv.URL+"/", 1<<20)
	require.NoError(t, err)
	require.Equal(t, body, p.Body, "Body keeps the original bytes")
	require.Equal(t, "<html><body><p>café über</p></body></html>", p.Text, "Text is UTF-8")
	require.NotEmpty(t, p.Charset)
}

func fetchRedirect(t *testing.T, f ports.PageFetcher) {
	srv := pageServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/hop", http.StatusMovedPermanently)
		case "/hop":
			http.Redirect(w, r, "/new", http.StatusFound)
		case "/new":
			writePage(w, "text/html; charset=utf-8", []byte(testHTML))
		default:
			http.NotFound(w, r)
		}
	})
	p, err := fetchPage(t, f, srv.URL+"/old", 1<<20)
	require.NoError(t, err)
	require.Equal(t, srv.URL+"/old", p.URL, "URL is the one asked for")
	require.Equal(t, srv.URL+"/new", p.FinalURL, "FinalURL is after redirects")
	require.Equal(t, http.StatusOK, p.StatusCode)
	require.Equal(t, testHTML, p.Text)
}

// bigServer serves a page of size bytes with Content-Length at /sized and without it
// (chunked, in four flushed parts, so only counting the bytes read can tell) at /chunked.
func bigServer(t *testing.T, size int) *httptest.Server {
	body := bytes.Repeat([]byte("a"), size)
	return pageServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sized" {
			writePage(w, "text/html", body)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		for i := range 4 {
			_, _ = w.Write(body[i*size/4 : (i+1)*size/4])
			w.(http.Flusher).Flush()
		}
	})
}

func fetchAtLimit(t *testing.T, f ports.PageFetcher) {
	srv := bigServer(t, 4096)
	for _, path := range []string{"/sized", "/chunked"} {
		p, err := fetchPage(t, f, srv.URL+path, 4096)
		require.NoError(t, err, path)
		require.Len(t, p.Body, 4096, path)
	}
}

func fetchOverLimit(t *testing.T, f ports.PageFetcher) {
	srv := bigServer(t, 4096)
	for _, path := range []string{"/sized", "/chunked"} {
		p, err := fetchPage(t, f, srv.URL+path, 4095)
		requireCode(t, err, domain.CodeArtifactSizeExceeded)
		require.Empty(t, p.Body, "%s: nothing is returned", path)
	}
}

func fetchUnsupported(t *testing.T, f ports.PageFetcher) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) { writePage(w, "image/png", png) })
	p, err := fetchPage(t, f, srv.URL+"/logo.png", 1<<20)
	requireCode(t, err, domain.CodeFetchUnsupported)
	require.Empty(t, p.Body)
}

func fetchStatus(status int, retryable bool) func(*testing.T, ports.PageFetcher) {
	return func(t *testing.T, f ports.PageFetcher) {
		srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><body>error page</body></html>"))
		})
		_, err := fetchPage(t, f, srv.URL+"/", 1<<20)
		de := requireCode(t, err, domain.CodeFetchFailed)
		require.Equal(t, retryable, de.Retryable, "HTTP %d: %v", status, err)
	}
}

func fetchScheme(t *testing.T, f ports.PageFetcher) {
	for _, u := range []string{"file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"} {
		_, err := fetchPage(t, f, u, 1<<20)
		requireCode(t, err, domain.CodeFetchBlocked)
	}
}

func fetchCancelled(t *testing.T, f ports.PageFetcher) {
	srv := pageServer(t, func(w http.ResponseWriter, _ *http.Request) {
		writePage(w, "text/html", []byte(testHTML))
	})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p, err := callWithin(t, "Fetch", func() (domain.Page, error) {
		return f.Fetch(ctx, domain.FetchRequest{URL: srv.URL + "/", MaxBytes: 1 << 20})
	})
	requireCode(t, err, domain.CodeFetchFailed)
	require.Empty(t, p.Body)
}

func fetchCancelledWaiting(t *testing.T, f ports.PageFetcher) {
	arrived := make(chan struct{}, 1)
	srv := pageServer(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select { // hold the answer until the client gives up
		case <-r.Context().Done():
		case <-time.After(2 * wait):
			writePage(w, "text/html", []byte(testHTML))
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		select {
		case <-arrived:
			cancel()
		case <-ctx.Done():
		}
	}()
	p, err := callWithin(t, "Fetch", func() (domain.Page, error) {
		return f.Fetch(ctx, domain.FetchRequest{URL: srv.URL + "/", MaxBytes: 1 << 20})
	})
	requireCode(t, err, domain.CodeFetchFailed)
	require.Empty(t, p.Body)
}
