package httpapi

import (
	"strconv"
	"strings"

	"taskrunner/domain"
)

// rangeKind is what a Range header asks for.
type rangeKind int

const (
	rangeNone          rangeKind = iota // no header, another unit, malformed or several ranges: send it all
	rangeOne                            // one satisfiable range
	rangeUnsatisfiable                  // one range that starts past the end: 416
)

// parseRange reads a single-range "bytes=" header against a representation of size
// bytes (RFC 9110 §14): "a-b" (b clamped to the end), "a-", "-n" (the last n bytes).
// Malformed headers are ignored, as the RFC asks, and so are multi-range requests:
// answering them whole is allowed and spares a multipart encoder.
func parseRange(h string, size int64) (domain.ByteRange, rangeKind) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return domain.ByteRange{}, rangeNone
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return domain.ByteRange{}, rangeNone
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" { // suffix range
		n, ok := parseDigits(last)
		if !ok {
			return domain.ByteRange{}, rangeNone
		}
		if n == 0 || size == 0 {
			return domain.ByteRange{}, rangeUnsatisfiable
		}
		n = min(n, size)
		return domain.ByteRange{Start: size - n, End: size - 1}, rangeOne
	}
	start, ok := parseDigits(first)
	if !ok {
		return domain.ByteRange{}, rangeNone
	}
	end := size - 1
	if last != "" {
		if end, ok = parseDigits(last); !ok || end < start {
			return domain.ByteRange{}, rangeNone
		}
	}
	if start >= size {
		return domain.ByteRange{}, rangeUnsatisfiable
	}
	return domain.ByteRange{Start: start, End: min(end, size-1)}, rangeOne
}

// parseDigits parses a non-negative decimal without sign or spaces.
func parseDigits(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// etagListMatches implements If-None-Match: "*" or any listed tag, compared weakly (a
// W/ prefix is ignored) as RFC 9110 §13.1.2 requires.
func etagListMatches(header, etag string) bool {
	if header = strings.TrimSpace(header); header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// ifRangeAllows reports whether a Range header may be honoured: always without If-Range,
// otherwise only when it names the current ETag (strong comparison). A date never matches:
// artifacts have no Last-Modified to compare it with, and sending everything is safe.
func ifRangeAllows(header, etag string) bool {
	header = strings.TrimSpace(header)
	return header == "" || header == etag
}
