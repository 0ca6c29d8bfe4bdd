package extract_test

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	readeck "codeberg.org/readeck/go-readability/v2"
	"github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// devVariant turns a parsed page into article text. Each variant gets its own parse, since
// some libraries change the tree they are given.
type devVariant struct {
	name string
	run  func(doc *html.Node, raw string) string
}

func trafText(opts trafilatura.Options) func(*html.Node, string) string {
	return func(doc *html.Node, _ string) string {
		opts := opts
		opts.HtmlDateMode = trafilatura.Disabled
		res, err := trafilatura.ExtractDocument(doc, opts)
		if err != nil || res == nil || res.ContentNode == nil {
			return ""
		}
		return extract.RenderText(res.ContentNode)
	}
}

func readeckNode(doc *html.Node) *html.Node {
	p := readeck.NewParser()
	art, err := p.ParseDocument(doc, nil)
	if err != nil {
		return nil
	}
	return art.Node
}

func shioriNode(doc *html.Node) *html.Node {
	art, err := readability.FromDocument(doc, nil)
	if err != nil {
		return nil
	}
	return art.Node
}

// noCandidate stands in for a fallback candidate trafilatura should not compute itself: an
// empty node is never usable.
func noCandidate() *html.Node { return &html.Node{Type: html.ElementNode, Data: "div"} }

func devVariants() []devVariant {
	ex := extract.New(extract.Config{})
	withCandidate := func(opts trafilatura.Options, cand func(*html.Node) *html.Node, distiller bool) func(*html.Node, string) string {
		return func(doc *html.Node, raw string) string {
			o := opts
			o.EnableFallback = true
			o.FallbackCandidates = &trafilatura.FallbackCandidates{Readability: cand(doc)}
			if !distiller {
				o.FallbackCandidates.Distiller = noCandidate()
			}
			return trafText(o)(doc, raw)
		}
	}
	return []devVariant{
		{"taskrunner", func(_ *html.Node, raw string) string {
			out, _ := ex.Extract(context.Background(), domain.ExtractInput{HTML: raw, ReaderMode: true})
			return out.Text
		}},
		{"traf default", trafText(trafilatura.Options{})},
		{"traf exclude comments", trafText(trafilatura.Options{ExcludeComments: true})},
		{"traf precision", trafText(trafilatura.Options{Focus: trafilatura.FavorPrecision})},
		{"traf recall", trafText(trafilatura.Options{Focus: trafilatura.FavorRecall})},
		{"traf dedup", trafText(trafilatura.Options{Deduplicate: true})},
		{"traf fallback shiori+distiller", withCandidate(trafilatura.Options{}, shioriNode, true)},
		{"traf fallback readeck+distiller", withCandidate(trafilatura.Options{}, readeckNode, true)},
		{"traf fallback readeck only", withCandidate(trafilatura.Options{}, readeckNode, false)},
		{"readeck alone", func(doc *html.Node, _ string) string {
			if n := readeckNode(doc); n != nil {
				return extract.RenderText(n)
			}
			return ""
		}},
	}
}

// TestDevVariants scores candidate configurations on the same pages in one run, for
// choosing among them: go-trafilatura's comparison set (EXTRACT_EVAL_DIR) and the testdata
// pages. It is a tool, not a check; it runs only when EXTRACT_DEV is set:
//
//	EXTRACT_DEV=1 EXTRACT_EVAL_DIR=$(go env GOMODCACHE)/github.com/markusmobius/go-trafilatura@v1.12.2 \
//	  go test -run TestDevVariants -v ./adapters/extract/
func TestDevVariants(t *testing.T) {
	root := os.Getenv("EXTRACT_EVAL_DIR")
	if os.Getenv("EXTRACT_DEV") == "" || root == "" {
		t.Skip("set EXTRACT_DEV and EXTRACT_EVAL_DIR to compare extraction variants")
	}
	ps := append(comparisonPages(t, root), testdataPages(t)...)
	only := os.Getenv("EXTRACT_DEV_ONLY")
	for _, v := range devVariants() {
		if only != "" && !strings.Contains(v.name, only) {
			continue
		}
		texts := runDev(v, ps)
		var s evalScore
		var pageF1 float64
		var n int
		var sp, sr float64
		var wants float64
		for i, p := range ps {
			var one evalScore
			one.add(texts[i], p)
			s.add(texts[i], p)
			if one.tp+one.fn+one.fp > 0 {
				f := 0.0
				if one.tp > 0 {
					f = one.f1()
				}
				pageF1 += f
				n++
			}
			if p.want != "" {
				a, b := overlap(bag(shingles(texts[i])), bag(shingles(p.want)))
				sp, sr, wants = sp+a, sr+b, wants+1
			}
		}
		t.Logf("%-34s snippets %s; page-mean snippet F1 %.4f; testdata shingle F1 %.4f",
			v.name, s.String(), pageF1/float64(n), harmonic(sp/wants, sr/wants))
	}
}

// runDev runs v over the pages on every core.
func runDev(v devVariant, ps []evalPage) []string {
	out := make([]string, len(ps))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				doc, err := html.Parse(strings.NewReader(ps[i].html))
				if err != nil {
					continue
				}
				func() {
					defer func() { _ = recover() }()
					out[i] = v.run(doc, ps[i].html)
				}()
			}
		}()
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// TestDevDump writes each page's text from the variants named in EXTRACT_DEV_DUMP (a
// comma-separated list of names from devVariants) and its annotations, as JSON lines to
// the file EXTRACT_DEV_OUT, for analysis outside Go.
func TestDevDump(t *testing.T) {
	root, names, outPath := os.Getenv("EXTRACT_EVAL_DIR"), os.Getenv("EXTRACT_DEV_DUMP"), os.Getenv("EXTRACT_DEV_OUT")
	if root == "" || names == "" || outPath == "" {
		t.Skip("set EXTRACT_EVAL_DIR, EXTRACT_DEV_DUMP and EXTRACT_DEV_OUT to dump variant texts")
	}
	ps := append(comparisonPages(t, root), testdataPages(t)...)
	texts := map[string][]string{}
	for _, v := range devVariants() {
		if strings.Contains(","+names+",", ","+v.name+",") {
			texts[v.name] = runDev(v, ps)
		}
	}
	f, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { require.NoError(t, f.Close()) }()
	enc := json.NewEncoder(f)
	for i, p := range ps {
		row := map[string]any{"name": p.name, "with": p.with, "without": p.without, "want": p.want}
		for k, v := range texts {
			row[k] = v[i]
		}
		if err := enc.Encode(row); err != nil {
			t.Fatal(err)
		}
	}
}
