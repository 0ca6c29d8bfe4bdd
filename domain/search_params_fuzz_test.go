package domain_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"taskrunner/domain"
)

// FuzzParseSearchParams checks that decoding never panics, that every error is a coded
// domain error, and that normalization is idempotent: the stored (normalized) params parse
// back to themselves, so Run sees exactly what Validate accepted.
func FuzzParseSearchParams(f *testing.F) {
	for _, s := range []string{
		`{"query":"open source task runner","sources":["brave"],"recency_days":7}`,
		`{"query":"  A\tb  ","sources":["EXA","brave","exa"],"max_results":3}`,
		`{"query":"","sources":[]}`, `{"query":5}`, `[]`, `null`, `{"queries":["a","b"]}`,
		`{"query":"x","recency_days":-1}`, `{"query":"\u0000"}`,
	} {
		f.Add(s)
	}
	l := domain.DefaultLimits()
	l.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := domain.ParseSearchParams(json.RawMessage(raw), l)
		if err != nil {
			if c := domain.CodeOf(err); c != domain.CodeInvalidParams && c != domain.CodeInvalidRequest {
				t.Fatalf("uncoded error %v", err)
			}
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := domain.ParseSearchParams(b, l)
		if err != nil || !reflect.DeepEqual(p, again) {
			t.Fatalf("not idempotent: %+v → %s → %+v (%v)", p, b, again, err)
		}
	})
}
