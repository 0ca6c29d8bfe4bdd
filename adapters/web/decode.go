package web

import (
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Decode converts a page body to UTF-8 exactly as Fetch does, for callers that read pages
// from elsewhere (the `taskrunner extract` command). contentType is the Content-Type value
// ("text/html", "text/html; charset=shift_jis"); it returns the text and the charset name.
func Decode(body []byte, contentType string) (text, charsetName string) {
	mediaType, params := parseContentType(contentType)
	if mediaType == "" {
		mediaType = "text/html"
	}
	return decode(body, mediaType, params["charset"])
}

// decode converts body to UTF-8 and names the charset it was decoded from. The order is the
// HTML standard's encoding sniffing: a byte order mark wins, then the Content-Type charset,
// then a <meta> declaration in the first 1024 bytes (HTML only); with none of these the body
// is UTF-8 when it is valid UTF-8 throughout, else windows-1252.
func decode(body []byte, mediaType, headerCharset string) (string, string) {
	contentType := mediaType
	if headerCharset != "" {
		contentType += "; charset=" + headerCharset
	}
	head := body
	if mediaType == "text/plain" && len(head) > 4 {
		// A meta tag means nothing in plain text: show the sniffer only the bytes a BOM
		// can occupy.
		head = head[:4]
	}
	enc, name, _ := charset.DetermineEncoding(head, contentType)
	// DetermineEncoding's own guess (no BOM, header or meta) is encoding.Nop for UTF-8 and
	// the bare Windows1252 charmap otherwise, and it looks at 1024 bytes only; a declared
	// encoding comes back wrapped. Guess from the whole body instead.
	if enc == encoding.Nop || enc == charmap.Windows1252 {
		if utf8.Valid(body) {
			return string(trimBOM(body)), "utf-8"
		}
		enc, name = charset.Lookup("windows-1252")
	}
	if name == "utf-8" {
		if utf8.Valid(body) {
			return string(trimBOM(body)), name
		}
		// Declared UTF-8 but not valid: decoding replaces the bad bytes with U+FFFD.
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return string(trimBOM([]byte(string(body)))), "utf-8"
	}
	return string(trimBOM(out)), name
}
