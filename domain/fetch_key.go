package domain

import (
	"crypto/sha256"
	"encoding/hex"
)

// FetchKey is the dedupe key of a fetch: the sha256 (hex) of the canonical URL and the
// extraction mode. The same page fetched in reader mode and raw mode gives different text,
// so the mode is part of the key; store_raw_html is not (the handler checks whether the
// earlier fetch kept the HTML).
func FetchKey(canonicalURL string, readerMode bool) string {
	mode := "raw"
	if readerMode {
		mode = "reader"
	}
	sum := sha256.Sum256([]byte(canonicalURL + "\n" + mode))
	return hex.EncodeToString(sum[:])
}
