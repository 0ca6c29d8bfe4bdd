package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/domain"
)

func TestHTTPSThroughGuardedDialer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(htmlHandler("<p>over tls</p>"))
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	// The test certificate is for example.com, so the name is mapped to the server.
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: resolver{"example.com": {loopback}},
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
	p, err := fetch(t, f, "https://example.com:"+port+"/")
	require.NoError(t, err)
	require.Contains(t, p.Text, "over tls")

	// An untrusted certificate is a permanent failure.
	untrusting := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true, Resolver: resolver{"example.com": {loopback}}})
	_, err = fetch(t, untrusting, "https://example.com:"+port+"/")
	require.False(t, requireCode(t, err, domain.CodeFetchFailed).Retryable)
}

// The cap applies to the decoded body, so a small compressed response cannot expand past it.
func TestCompressedBodyCap(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(strings.Repeat("<p>bomb</p>", 10000)))
	require.NoError(t, zw.Close())
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	}))
	require.Less(t, gz.Len(), 4096)
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := f.Fetch(ctx, domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/", MaxBytes: 50000})
	requireCode(t, err, domain.CodeArtifactSizeExceeded)
	p, err := f.Fetch(ctx, domain.FetchRequest{URL: "http://127.0.0.1:" + port + "/", MaxBytes: 200000})
	require.NoError(t, err)
	require.Len(t, p.Body, 110000, "decoded transparently")
}
