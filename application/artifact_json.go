package application

import (
	"bytes"
	"strconv"
)

// unstorableEscape finds the first \u escape of a valid JSON text that PostgreSQL's jsonb
// refuses: \u0000, and a UTF-16 surrogate that is not half of a pair. Refusing these
// before any byte is written keeps both modes alike (memory mode would keep them) and
// keeps a services-mode write from failing after the blob is stored. Raw control bytes
// need no check: valid JSON escapes them, and the escape is what is found here.
func unstorableEscape(raw []byte) (string, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++ // the escaped character; in valid JSON a backslash always has one
		if raw[i] != 'u' {
			continue
		}
		v, ok := hex4(raw, i+1)
		switch {
		case !ok:
			continue
		case v == 0:
			return `\u0000`, true
		case v >= 0xDC00 && v <= 0xDFFF:
			return string(raw[i-1 : i+5]), true
		case v >= 0xD800 && v <= 0xDBFF:
			if !bytes.HasPrefix(raw[i+5:], []byte(`\u`)) {
				return string(raw[i-1 : i+5]), true
			}
			if lo, ok := hex4(raw, i+7); !ok || lo < 0xDC00 || lo > 0xDFFF {
				return string(raw[i-1 : i+5]), true
			}
			i += 10 // past the low half
		default:
			i += 4
		}
	}
	return "", false
}

// hex4 reads the four hex digits of a \u escape starting at raw[at].
func hex4(raw []byte, at int) (uint64, bool) {
	if at+4 > len(raw) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(raw[at:at+4]), 16, 32)
	return v, err == nil
}
