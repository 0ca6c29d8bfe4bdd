package domain_test

import (
	"strings"
	"testing"

	"taskrunner/domain"
)

// BenchmarkCheckJSONText measures the check on documents of about 1 MiB: the fast path
// (no escape that could be a NUL or a surrogate), the exact walk (emoji escaped as
// surrogate pairs, as Python's json.dumps writes them; many small strings), and nesting
// deeper than any real params.
func BenchmarkCheckJSONText(b *testing.B) {
	docs := map[string]string{
		"plain":   `{"text":"` + strings.Repeat("plain words é ", 1<<16) + `"}`,
		"pairs":   `{"text":"` + strings.Repeat(`word \ud83d\ude00 `, 1<<16) + `"}`,
		"strings": `{"list":[` + strings.Repeat(`"\ud83d\ude00",`, 1<<16) + `""]}`,
		"deep":    strings.Repeat(`{"a":[`, 4000) + `"\ud83d\ude00"` + strings.Repeat(`]}`, 4000),
	}
	for name, doc := range docs {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				if err := domain.CheckJSONText("params", []byte(doc)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
