package domain_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestCheckJSONText(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		raw   string
		field string // "" when the document is fine
		says  string // a part of the message
	}{
		"plain":                 {raw: `{"msg":"hello","n":1,"list":[true,null,"x"]}`},
		"escapes":               {raw: `{"msg":"a\"b\\c\/d\n\u00e9\u003c"}`},
		"escaped backslash":     {raw: `{"msg":"\\u0000","\\u0000":1}`},
		"surrogate pair":        {raw: `{"msg":"\ud83d\ude00 \uD83D\uDE00"}`},
		"huge number":           {raw: `{"n":1e999}`},
		"empty":                 {raw: `{}`},
		"NUL in value":          {raw: `{"msg":"a\u0000b"}`, field: "params.msg", says: "NUL"},
		"NUL after backslashes": {raw: `{"msg":"\\\u0000"}`, field: "params.msg", says: "NUL"},
		"NUL in nested value":   {raw: `{"a":{"b":[1,{"c":["ok","\u0000"]}]}}`, field: "params.a.b[1].c[1]", says: "NUL"},
		"NUL in key":            {raw: `{"a":{"k\u0000":1}}`, field: "params.a", says: "a key in params.a contains a NUL"},
		"NUL in top key":        {raw: `{"\u0000":1}`, field: "params", says: "a key in params"},
		"first problem wins":    {raw: `{"a":"ok","b":"\u0000","c":"\u0000"}`, field: "params.b", says: "NUL"},
		"lone high surrogate":   {raw: `{"s":"\ud800"}`, field: "params.s", says: "surrogate"},
		"high then not low":     {raw: `{"s":"\ud800\u0041"}`, field: "params.s", says: "surrogate"},
		"lone low surrogate":    {raw: `{"s":"x\uDC00"}`, field: "params.s", says: "surrogate"},
		"not UTF-8 value":       {raw: "{\"s\":[\"\xff\"]}", field: "params.s[0]", says: "UTF-8"},
		"not UTF-8 key":         {raw: "{\"\xc3\":1}", field: "params", says: "UTF-8"},
	} {
		err := domain.CheckJSONText("params", []byte(tc.raw))
		if tc.field == "" {
			require.NoError(t, err, name)
			continue
		}
		var de *domain.Error
		require.True(t, errors.As(err, &de), "%s: %v", name, err)
		require.Equal(t, domain.CodeInvalidParams, de.Code, name)
		require.Equal(t, tc.field, de.Details["field"], name)
		require.Contains(t, de.Message, tc.field, name)
		require.Contains(t, de.Message, tc.says, name)
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	require.NoError(t, domain.CheckText("idempotency_key", "key-1 é"))
	require.NoError(t, domain.CheckText("idempotency_key", ""))
	for s, says := range map[string]string{"k\x00": "NUL", "\x00": "NUL", "k\xff": "UTF-8"} {
		err := domain.CheckText("idempotency_key", s)
		require.Equal(t, domain.CodeInvalidParams, domain.CodeOf(err), "%q", s)
		require.Contains(t, err.Error(), "idempotency_key", "%q", s)
		require.Contains(t, err.Error(), says, "%q", s)
	}
}

// FuzzCheckJSONText holds the check to what the decoder sees: a document whose decoded
// strings (keys included) hold a NUL is refused, and one that is valid UTF-8, has no
// surrogate escape and decodes without a NUL passes. The fast path may not differ from
// the exact walk on any of them.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{
		`{"a":"\u0000"}`, `{"a":"\\u0000"}`, `{"\u0000":1}`, `{"a":["\\\u0000"]}`,
		`{"a":"\ud83d\ude00"}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}", `{"a":{"b":[1,2,{"c":"d"}]}}`,
		`{"a":"\u00001"}`, `{"a":1e999}`, `{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var doc any
		if json.Unmarshal([]byte(raw), &doc) != nil {
			return // callers only pass valid JSON
		}
		err := domain.CheckJSONText("params", []byte(raw))
		if err != nil && domain.CodeOf(err) != domain.CodeInvalidParams {
			t.Fatalf("uncoded error %v", err)
		}
		nul := hasNUL(doc)
		if nul && err == nil {
			t.Fatalf("a NUL passed: %q", raw)
		}
		if err != nil && strings.Contains(err.Error(), "NUL") && !nul {
			t.Fatalf("no NUL, yet refused: %q: %v", raw, err)
		}
		clean := !nul && !strings.Contains(strings.ToLower(raw), `\ud`) && !strings.ContainsRune(raw, '\uFFFD') &&
			json.Valid([]byte(raw)) && strings.ToValidUTF8(raw, "") == raw
		if clean && err != nil {
			t.Fatalf("refused a clean document %q: %v", raw, err)
		}
	})
}

func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, e := range v {
			if hasNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(e) {
				return true
			}
		}
	}
	return false
}
