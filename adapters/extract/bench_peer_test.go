package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// BenchmarkExtractVsTrafilatura runs this package's reader-mode extraction and
// go-trafilatura alone (default options) over the same pages, in one run, each with
// RunParallel (GOMAXPROCS workers), and logs the ratio of their pages/s: the figure the
// extraction issue asks for, by wall clock and by this process's CPU time. The pages are
// the testdata pages, plus every HTML page of
// go-trafilatura's test files when EXTRACT_EVAL_DIR names that module's directory:
//
//	EXTRACT_EVAL_DIR=$(go env GOMODCACHE)/github.com/markusmobius/go-trafilatura@v1.12.2 \
//	  go test -run '^$' -bench ExtractVsTrafilatura -benchtime 3x ./adapters/extract/
func BenchmarkExtractVsTrafilatura(b *testing.B) {
	htmls := benchPages(b)
	ex := extract.New(extract.Config{})
	ours := func(page string) error {
		_, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: page, URL: "https://example.com/a", ReaderMode: true})
		return err
	}
	theirs := func(page string) error {
		_, err := trafilatura.Extract(strings.NewReader(page), trafilatura.Options{})
		// go-trafilatura reports a page without an article in more than one wording.
		if err != nil && !strings.Contains(err.Error(), "extraction failed") &&
			!strings.Contains(err.Error(), "not long enough") {
			return err
		}
		return nil // a page trafilatura finds no article in still cost the work
	}
	// Wall-clock rates move with whatever else the machine runs between the two halves;
	// pages per CPU-second of this process do much less, so both ratios are logged.
	rate, cpuRate := map[string]float64{}, map[string]float64{}
	for _, c := range []struct {
		name string
		run  func(string) error
	}{{"taskrunner", ours}, {"trafilatura", theirs}} {
		b.Run(c.name, func(b *testing.B) {
			var next atomic.Int64
			start, cpu := time.Now(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					// One pass over all pages per iteration: every page counts once.
					for range htmls {
						i := next.Add(1) - 1
						if err := c.run(htmls[i%int64(len(htmls))]); err != nil {
							b.Error(err)
							return
						}
					}
				}
			})
			pps := float64(next.Load()) / time.Since(start).Seconds()
			rate[c.name] = pps
			cpuRate[c.name] = float64(next.Load()) / (cpuTime() - cpu).Seconds()
			b.ReportMetric(pps, "pages/s")
		})
	}
	if rate["trafilatura"] > 0 {
		b.Logf("%d pages: taskrunner %.0f pages/s, go-trafilatura alone %.0f pages/s, ratio %.2f; "+
			"per CPU-second %.0f and %.0f, ratio %.2f", len(htmls), rate["taskrunner"], rate["trafilatura"],
			rate["taskrunner"]/rate["trafilatura"], cpuRate["taskrunner"], cpuRate["trafilatura"],
			cpuRate["taskrunner"]/cpuRate["trafilatura"])
	}
}

func benchPages(b *testing.B) []string {
	var out []string
	for _, name := range pages {
		out = append(out, readPage(b, name))
	}
	root := os.Getenv("EXTRACT_EVAL_DIR")
	if root == "" {
		return out
	}
	files, err := filepath.Glob(filepath.Join(root, "test-files", "*", "*.html"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no HTML pages under %s/test-files", root)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, string(raw))
	}
	return out
}
