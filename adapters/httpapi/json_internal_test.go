package httpapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJSONIsWrittenOnlyByMarshalJSON keeps every encoder of the package's answers on the
// one that does not HTML-escape: code merged later that calls json.Marshal (or Fiber's
// c.JSON, which escapes too) would bring \u003e back.
func TestJSONIsWrittenOnlyByMarshalJSON(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	encoder := regexp.MustCompile(`json\.(Marshal|MarshalIndent|NewEncoder)\(|\bc\.JSON\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "json.go" {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(src), "\n") {
			require.False(t, encoder.MatchString(line),
				"%s:%d encodes JSON itself; use marshalJSON (or writeJSON), which does not HTML-escape: %s", f, i+1, strings.TrimSpace(line))
		}
	}
}

func TestMarshalJSONDoesNotEscapeHTML(t *testing.T) {
	t.Parallel()
	out, err := marshalJSON(map[string]any{"m": "a <b> & c >= d", "raw": json.RawMessage(`{"x":"\u003c&>"}`)})
	require.NoError(t, err)
	require.Equal(t, `{"m":"a <b> & c >= d","raw":{"x":"<&>"}}`, string(out))
}

func TestUnescapeHTMLKeepsOtherEscapes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"\u003c\u003E\u0026"`:      `"<>&"`,
		`"\\u003c"`:                 `"\\u003c"`, // the text \u003c, not an escape
		`"\\\u003c"`:                `"\\<"`,
		`"\u0000\u00e9\n\"\u2028"`:  `"\u0000\u00e9\n\"\u2028"`,
		`{"a":"x\u003c","b":[1,2]}`: `{"a":"x<","b":[1,2]}`,
		`"\u003`:                    `"\u003`,
	} {
		require.Equal(t, want, string(unescapeHTML([]byte(in))), in)
	}
}
