package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"

	"taskrunner/domain"
)

// errTooManyRedirects is returned by checkRedirect.
var errTooManyRedirects = errors.New("too many redirects")

func blocked(format string, args ...any) *domain.Error {
	return domain.NewError(domain.CodeFetchBlocked, format, args...)
}

func unsupported(mediaType string) *domain.Error {
	return domain.NewError(domain.CodeFetchUnsupported,
		"content type %q is not fetched; only HTML, XHTML and plain text are", mediaType).
		WithDetail("content_type", mediaType)
}

func tooLarge(size, limit int64) *domain.Error {
	return domain.NewError(domain.CodeArtifactSizeExceeded,
		"the page is larger than the artifact limit of %d bytes", limit).
		WithDetail("limit_bytes", limit).WithDetail("size_bytes", size)
}

// translate maps every error of the HTTP client to a domain error, in one place. Messages
// never carry the URL (it may hold secrets in its query); causes are kept for errors.Is.
func translate(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // *url.Error prints the URL
	}
	var de *domain.Error
	if errors.As(err, &de) { // from checkRedirect: already coded
		return de
	}
	var be *blockedAddrError
	if errors.As(err, &be) {
		return blocked("refused to connect to %s: not a public address", be.addr).WithCause(err)
	}
	if errors.Is(err, errTooManyRedirects) {
		return domain.NewError(domain.CodeFetchFailed, "stopped after too many redirects").WithCause(err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		what := "timed out"
		if errors.Is(ctxErr, context.Canceled) {
			what = "was cancelled"
		}
		return domain.NewError(domain.CodeFetchFailed, "the fetch %s", what).WithCause(errors.Join(ctxErr, err)).Transient()
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return domain.NewError(domain.CodeFetchFailed, "host %s was not found", dnsErr.Name).WithCause(err)
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return domain.NewError(domain.CodeFetchFailed, "the server's TLS certificate was not accepted").WithCause(err)
	}
	return domain.NewError(domain.CodeFetchFailed, "the page could not be fetched: %s", describe(err)).WithCause(err).Transient()
}

// describe gives a short reason without the URL that *url.Error would print.
func describe(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return fmt.Sprintf("%s: %v", op.Op, op.Err)
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		err = u
	}
	return err.Error()
}

// retryAfter parses a Retry-After header given in seconds (HTTP dates are rare from the
// sites fetched here and are ignored). A number too large for an int64 is a wait of "for
// ever", not no wait at all: the worker fails such a task instead of retrying it.
func retryAfter(v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(strings.TrimSpace(v), "-") {
		return math.MaxInt64
	}
	if err != nil || n < 0 {
		return 0
	}
	return n
}
