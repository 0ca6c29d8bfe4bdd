package httpapi

import (
	"bytes"
	"encoding/json"
)

// marshalJSON is json.Marshal without HTML escaping: every JSON this adapter writes goes
// through it, so a message says `>=` and not `\u003e=`. The answers are JSON for API
// clients, never HTML, so the escaping protects nothing and garbles what people read.
// Embedded raw JSON (task params and results) is written as stored, and may carry the
// escapes of whoever encoded it (a Go client, a handler's json.Marshal); those are undone
// too, so memory mode answers as PostgreSQL's jsonb does.
// (TestJSONIsWrittenOnlyByMarshalJSON keeps other encoders out of the package.)
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return unescapeHTML(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// htmlEscapes are the escapes encoding/json writes for <, > and &, as it writes them.
var htmlEscapes = map[string]byte{`\u003c`: '<', `\u003e`: '>', `\u0026`: '&'}

// unescapeHTML replaces the \u003c, \u003e and \u0026 escapes in valid JSON by the
// characters. It walks escape by escape, so an escaped backslash followed by "u003c" (the
// text \u003c) stays as it is. JSON without any \u00 escape is returned untouched, at the
// cost of one search.
func unescapeHTML(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u00`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if i+6 <= len(b) {
			if c, ok := htmlEscapes[string(bytes.ToLower(b[i:i+6]))]; ok {
				out = append(out, c)
				i += 5
				continue
			}
		}
		out = append(out, b[i], b[i+1]) // any other escape, kept whole
		i++
	}
	return out
}
