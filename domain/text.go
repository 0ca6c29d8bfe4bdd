package domain

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Text that the system of record cannot hold. PostgreSQL refuses U+0000 in text and the
// escape \u0000 in jsonb (SQLSTATE 22021, 22P05), bytes that are not UTF-8 (22021) and a
// \uD800-\uDFFF escape that is not half of a surrogate pair (22P02). The memory store
// would keep all of them, so submits check for them here, before anything is written:
// both modes then refuse the same input with the same 422, and none of it reaches a
// database that would answer with an error.
const (
	problemNUL       = "contains a NUL character (U+0000), which cannot be stored"
	problemUTF8      = "is not valid UTF-8"
	problemSurrogate = "contains an unpaired UTF-16 surrogate escape, which is not a character"
)

// CheckText reports a task_rejected_invalid_params error naming field when s holds a NUL
// or is not valid UTF-8.
func CheckText(field, s string) error {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return textError(field, "", problemNUL)
	case !utf8.ValidString(s):
		return textError(field, "", problemUTF8)
	}
	return nil
}

// CheckJSONText reports a task_rejected_invalid_params error when a string anywhere in
// raw, a valid JSON document, holds what the store cannot (a NUL, written \u0000;
// bytes that are not UTF-8; a lone surrogate escape). The error names the string's path
// below field ("params.a.b", "params.list[2]"); for an object key it names the object and
// says so. An escaped backslash (\\u0000) is text, not a NUL, and passes.
func CheckJSONText(field string, raw []byte) error {
	if plainJSON(raw) {
		return nil
	}
	return walkJSON(field, raw)
}

// plainJSON is the fast path for almost every document: valid UTF-8 without any \u
// escape that could spell a NUL or a surrogate. It may send a harmless document (an
// escaped backslash before "u0000", a valid surrogate pair) to the exact walk, never a
// harmful one past it.
func plainJSON(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for rest := raw; ; {
		i := bytes.Index(rest, []byte(`\u`))
		if i < 0 {
			return true
		}
		rest = rest[i+2:]
		if len(rest) < 4 {
			return false
		}
		if string(rest[:4]) == "0000" || rest[0] == 'd' || rest[0] == 'D' {
			return false
		}
	}
}

// jsonFrame is an object or array the walk is inside, and where in it the walk is.
type jsonFrame struct {
	object  bool
	wantKey bool   // object: the next string is a key
	key     []byte // object: the raw key of the member being read, decoded only for an error
	index   int    // array: the index of the element being read
}

// walkJSON checks every string of raw (keys included) in document order and reports the
// first problem. It reads the raw bytes itself rather than through encoding/json: the
// decoder turns invalid UTF-8 and lone surrogates into U+FFFD, hiding them, and its token
// API is several times slower. raw is valid JSON, so only strings need care: outside
// them, brackets, commas and colons are all the structure there is.
func walkJSON(field string, raw []byte) error {
	var stack []jsonFrame
	for i := 0; i < len(raw); {
		switch raw[i] {
		case '{', '[':
			stack = append(stack, jsonFrame{object: raw[i] == '{', wantKey: raw[i] == '{'})
		case '}', ']':
			if len(stack) == 0 {
				return notJSON(field)
			}
			stack = stack[:len(stack)-1]
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].wantKey = true
			} else if n > 0 {
				stack[n-1].index++
			}
		case '"':
			end, problem := scanString(raw, i)
			n := len(stack)
			isKey := n > 0 && stack[n-1].object && stack[n-1].wantKey
			switch {
			case problem != "" && isKey:
				return textError(jsonPath(field, stack[:n-1]), "a key in ", problem)
			case problem != "":
				return textError(jsonPath(field, stack), "", problem)
			case end < 0:
				return notJSON(field)
			case isKey:
				stack[n-1].key, stack[n-1].wantKey = raw[i:end], false
			}
			i = end
			continue
		}
		i++ // also past colons, white space, numbers, true, false and null
	}
	return nil
}

// scanString reads the string literal whose opening quote is at b[at] and returns the
// index after its closing quote, or the first thing in it the store would refuse. end is
// -1 when the literal does not end.
func scanString(b []byte, at int) (end int, problem string) {
	for i := at + 1; i < len(b); {
		j := i
		for j < len(b) && b[j] != '"' && b[j] != '\\' {
			j++
		}
		if !utf8.Valid(b[i:j]) {
			return -1, problemUTF8
		}
		if i = j; i == len(b) {
			return -1, ""
		}
		if b[i] == '"' {
			return i + 1, ""
		}
		if i+1 < len(b) && b[i+1] != 'u' {
			i += 2 // \" \\ \/ \b \f \n \r \t: never a problem
			continue
		}
		r, ok := hex4(b, i+2)
		if !ok {
			return -1, ""
		}
		i += 6
		switch {
		case r == 0:
			return -1, problemNUL
		case !utf16.IsSurrogate(r):
		case r < 0xDC00 && i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u':
			// A high surrogate is fine when a low one follows: together they are a character.
			lo, ok := hex4(b, i+2)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return -1, problemSurrogate
			}
			i += 6
		default:
			return -1, problemSurrogate
		}
	}
	return -1, ""
}

// jsonPath names the value the frames lead to: field.key for a member, field[i] for an
// element, as the handlers' own errors name them ("params.queries[2]").
func jsonPath(field string, frames []jsonFrame) string {
	var b strings.Builder
	b.WriteString(field)
	for _, f := range frames {
		if !f.object {
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
			continue
		}
		var key string
		if json.Unmarshal(f.key, &key) != nil {
			key = string(f.key) // cannot happen: the key was checked when it was read
		}
		b.WriteString("." + key)
	}
	return b.String()
}

func notJSON(field string) error { return InvalidRequest(field, "%s is not valid JSON", field) }

// hex4 reads the four hex digits of a \u escape at b[at:].
func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(n), err == nil
}

func textError(field, prefix, problem string) error {
	return InvalidParams(field, "%s%s %s", prefix, field, problem)
}
