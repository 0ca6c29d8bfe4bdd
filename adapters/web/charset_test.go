package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"taskrunner/adapters/web"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

type rawPage struct {
	contentType string
	body        []byte
}

func TestCharsetDecoding(t *testing.T) {
	t.Parallel()
	const french = "Café naïve – « déjà vu » €"
	const japaneseText = "日本語のテキスト、東京の天気は晴れです。"
	cp1252Body := encode(t, charmap.Windows1252, "<html><body><p>"+french+"</p></body></html>")
	sjisMeta := encode(t, japanese.ShiftJIS, `<html><head><meta charset="Shift_JIS"><title>テスト</title></head><body><p>`+japaneseText+`</p></body></html>`)
	sjisHTTPEquiv := encode(t, japanese.ShiftJIS, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"></head><body><p>`+japaneseText+`</p></body></html>`)
	// The meta says Shift_JIS, the bytes and the header say windows-1252: the header wins.
	disagree := encode(t, charmap.Windows1252, `<html><head><meta charset="shift_jis"></head><body><p>`+french+`</p></body></html>`)
	// A UTF-8 BOM beats a header that says otherwise.
	bom := append([]byte{0xEF, 0xBB, 0xBF}, []byte("<html><body><p>"+french+"</p></body></html>")...)
	// Undeclared UTF-8 whose first non-ASCII byte comes after the 1024-byte sniffing window.
	lateUTF8 := []byte("<html><body><p>" + strings.Repeat("plain ascii ", 200) + french + "</p></body></html>")
	undeclared1252 := encode(t, charmap.Windows1252, "<html><body><p>"+strings.Repeat("x ", 600)+french+"</p></body></html>")
	plain := []byte(`<meta charset="shift_jis"> is just text here: ` + french)
	invalidUTF8 := []byte("<p>ok \xff\xfe bad</p>")

	pages := map[string]rawPage{
		"/cp1252-header": {"text/html; charset=windows-1252", cp1252Body},
		"/latin1-label":  {"text/html; charset=ISO-8859-1", cp1252Body}, // WHATWG: iso-8859-1 means windows-1252
		"/sjis-meta":     {"text/html", sjisMeta},
		"/sjis-equiv":    {"text/html", sjisHTTPEquiv},
		"/sjis-header":   {"text/html; charset=Shift_JIS", sjisMeta},
		"/disagree":      {"text/html; charset=windows-1252", disagree},
		"/bom":           {"text/html; charset=shift_jis", bom},
		"/late-utf8":     {"text/html", lateUTF8},
		"/undeclared":    {"text/html", undeclared1252},
		"/plain":         {"text/plain", plain},
		"/invalid-utf8":  {"text/html; charset=utf-8", invalidUTF8},
		"/unknown-label": {"text/html; charset=x-no-such-charset", sjisMeta},
	}
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.contentType)
		_, _ = w.Write(p.body)
	}))
	f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: true})
	cases := []struct {
		path, charset, contains string
	}{
		{"/cp1252-header", "windows-1252", french},
		{"/latin1-label", "windows-1252", french},
		{"/sjis-meta", "shift_jis", japaneseText},
		{"/sjis-equiv", "shift_jis", japaneseText},
		{"/sjis-header", "shift_jis", japaneseText},
		{"/disagree", "windows-1252", french},
		{"/bom", "utf-8", french},
		{"/late-utf8", "utf-8", french},
		{"/undeclared", "windows-1252", french},
		{"/plain", "utf-8", french},
		{"/invalid-utf8", "utf-8", "ok \uFFFD"},
		{"/unknown-label", "shift_jis", japaneseText},
	}
	for _, c := range cases {
		p, err := fetch(t, f, "http://127.0.0.1:"+port+c.path)
		require.NoError(t, err, c.path)
		require.Equal(t, c.charset, p.Charset, c.path)
		require.Contains(t, p.Text, c.contains, c.path)
		require.False(t, strings.HasPrefix(p.Text, "\uFEFF"), "%s: the BOM is not text", c.path)
		require.Equal(t, pages[c.path].body, p.Body, "%s: Body keeps the original bytes", c.path)
	}
}
