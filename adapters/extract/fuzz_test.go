package extract_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// FuzzExtract checks that extraction never panics or fails, whatever the markup, and always
// returns valid UTF-8 for valid UTF-8 input.
func FuzzExtract(f *testing.F) {
	for _, name := range append(pages, "no_article", "jsonld_body", "related_section") {
		page := readPage(f, name)
		f.Add(page, true)
		f.Add(page[:len(page)/2], false) // truncated mid-document
	}
	for _, s := range []string{"", "<", "<p>", "<table><td><li><pre>", "<head><head>", "<html lang>",
		"<script>", "<!--", "<meta charset=\"x\">", "<a href=\"javascript:\">x</a>"} {
		f.Add(s, true)
	}
	ex := extract.New(extract.Config{})
	f.Fuzz(func(t *testing.T, html string, reader bool) {
		out, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: html, URL: "https://example.com/a", ReaderMode: reader})
		if err != nil {
			t.Fatalf("Extract failed: %v", err)
		}
		if utf8.ValidString(html) && !utf8.ValidString(out.Text) {
			t.Fatalf("invalid UTF-8 out of valid input")
		}
	})
}
