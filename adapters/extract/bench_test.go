package extract_test

import (
	"context"
	"testing"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// BenchmarkExtract measures reader-mode extraction over the testdata pages and reports
// pages/s (per benchmark goroutine, i.e. per core with -cpu 1).
func BenchmarkExtract(b *testing.B) {
	var in []domain.ExtractInput
	var size int64
	for _, name := range pages {
		html := readPage(b, name)
		size += int64(len(html))
		in = append(in, domain.ExtractInput{HTML: html, URL: "https://example.com/" + name, ReaderMode: true})
	}
	ex := extract.New(extract.Config{})
	b.SetBytes(size / int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ex.Extract(context.Background(), in[i%len(in)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkVisibleText measures raw mode (reader_mode=false).
func BenchmarkVisibleText(b *testing.B) {
	html := readPage(b, "news_article")
	ex := extract.New(extract.Config{})
	b.SetBytes(int64(len(html)))
	for i := 0; i < b.N; i++ {
		if _, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: html}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
