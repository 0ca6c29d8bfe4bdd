package domain

import "strings"

// StorableText returns s without U+0000. PostgreSQL refuses that character in text and
// jsonb values, so a page that carries one (a JSON-LD headline holding "\u0000", a NUL
// byte in a text/plain body) would fail in services mode; both modes drop it, so memory
// mode stores exactly what services mode can. It is the only code point of valid UTF-8
// PostgreSQL refuses, and it never carries meaning in readable text.
func StorableText(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// StorableExtract applies StorableText to every field of e.
func StorableExtract(e Extracted) Extracted {
	e.Title = StorableText(e.Title)
	e.Byline = StorableText(e.Byline)
	e.Excerpt = StorableText(e.Excerpt)
	e.SiteName = StorableText(e.SiteName)
	e.Lang = StorableText(e.Lang)
	e.Text = StorableText(e.Text)
	return e
}
