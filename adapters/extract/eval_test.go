package extract

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"taskrunner/domain"
)

// cpuTime is the CPU time this process has used (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// evalEntry is one annotated page of go-trafilatura's comparison set: snippets the article
// text must contain (with) and boilerplate it must not (without).
type evalEntry struct {
	file          string
	with, without []string
}

// loadEvalSet reads the annotations from the comparison script's Go source, so the data
// set is used as published, without copying it into this repository.
func loadEvalSet(t *testing.T, root string) []evalEntry {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, "scripts/comparison/data.go"), nil, 0)
	if err != nil {
		t.Fatalf("parse data.go: %v", err)
	}
	var out []evalEntry
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		lit, ok := kv.Value.(*ast.CompositeLit)
		if !ok {
			return true
		}
		if id, ok := lit.Type.(*ast.Ident); ok && id.Name != "ComparisonEntry" {
			return true
		}
		var e evalEntry
		for _, el := range lit.Elts {
			field, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			name := field.Key.(*ast.Ident).Name
			switch name {
			case "File":
				e.file, _ = strconv.Unquote(field.Value.(*ast.BasicLit).Value)
			case "With", "Without":
				list, ok := field.Value.(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, s := range list.Elts {
					if bl, ok := s.(*ast.BasicLit); ok {
						v, _ := strconv.Unquote(bl.Value)
						if name == "With" {
							e.with = append(e.with, v)
						} else {
							e.without = append(e.without, v)
						}
					}
				}
			}
		}
		if e.file != "" {
			out = append(out, e)
		}
		return false
	})
	return out
}

type evalScore struct{ tp, fn, tn, fp int }

func (s evalScore) String() string {
	p := float64(s.tp) / float64(s.tp+s.fp)
	r := float64(s.tp) / float64(s.tp+s.fn)
	f := 2 * p * r / (p + r)
	acc := float64(s.tp+s.tn) / float64(s.tp+s.tn+s.fp+s.fn)
	return "precision " + strconv.FormatFloat(p, 'f', 3, 64) + " recall " + strconv.FormatFloat(r, 'f', 3, 64) +
		" accuracy " + strconv.FormatFloat(acc, 'f', 3, 64) + " F1 " + strconv.FormatFloat(f, 'f', 3, 64)
}

func (s *evalScore) add(text string, e evalEntry) {
	text = collapse(text)
	for _, w := range e.with {
		if strings.Contains(text, collapse(w)) {
			s.tp++
		} else {
			s.fn++
		}
	}
	for _, w := range e.without {
		if strings.Contains(text, collapse(w)) {
			s.fp++
		} else {
			s.tn++
		}
	}
}

// TestComparisonEval scores extractor variants on go-trafilatura's annotated comparison set
// (about 500 multilingual pages). It is a measurement, not a gate: it runs only when
// EXTRACT_EVAL_DIR names the go-trafilatura module directory, e.g.
//
//	EXTRACT_EVAL_DIR=$(go env GOMODCACHE)/github.com/markusmobius/go-trafilatura@v1.12.2 \
//	  go test -run TestComparisonEval -v ./adapters/extract/
func TestComparisonEval(t *testing.T) {
	root := os.Getenv("EXTRACT_EVAL_DIR")
	if root == "" {
		t.Skip("set EXTRACT_EVAL_DIR to the go-trafilatura module directory to measure extraction quality")
	}
	entries := loadEvalSet(t, root)
	type page struct {
		e    evalEntry
		html string
	}
	var pages []page
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(root, "test-files/comparison", e.file))
		if err != nil {
			continue
		}
		pages = append(pages, page{e, string(b)})
	}
	t.Logf("%d annotated pages", len(pages))

	ex := New(Config{})
	variants := []struct {
		name string
		run  func(h string) string
	}{
		{"taskrunner (trafilatura + readability candidate)", func(h string) string {
			out, _ := ex.Extract(context.Background(), domain.ExtractInput{HTML: h, ReaderMode: true})
			return out.Text
		}},
		{"trafilatura alone, no fallback", func(h string) string {
			doc, _ := html.Parse(strings.NewReader(h))
			res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{ExcludeComments: true, HtmlDateMode: trafilatura.Disabled})
			if err != nil || res == nil {
				return ""
			}
			return renderText(res.ContentNode)
		}},
		{"trafilatura, library fallbacks (readability + distiller)", func(h string) string {
			doc, _ := html.Parse(strings.NewReader(h))
			res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{EnableFallback: true, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled})
			if err != nil || res == nil {
				return ""
			}
			return renderText(res.ContentNode)
		}},
		{"trafilatura ContentText (blocks glued)", func(h string) string {
			doc, _ := html.Parse(strings.NewReader(h))
			res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{EnableFallback: true, ExcludeComments: true, HtmlDateMode: trafilatura.Disabled})
			if err != nil || res == nil {
				return ""
			}
			return res.ContentText
		}},
		{"readability alone", func(h string) string {
			doc, _ := html.Parse(strings.NewReader(h))
			art, err := readability.FromDocument(doc, nil)
			if err != nil || art.Node == nil {
				return ""
			}
			return renderText(art.Node)
		}},
		{"visible text", func(h string) string {
			out, _ := ex.Extract(context.Background(), domain.ExtractInput{HTML: h})
			return out.Text
		}},
	}
	for _, v := range variants {
		var s evalScore
		start, cpu := time.Now(), cpuTime()
		for _, p := range pages {
			s.add(v.run(p.html), p.e)
		}
		wall, used := time.Since(start), cpuTime()-cpu
		// The CPU figure is what one core does; wall time on a shared machine says little.
		t.Logf("%-58s %s  %.0f pages per CPU-second (%.0f/s wall)", v.name, s,
			float64(len(pages))/used.Seconds(), float64(len(pages))/wall.Seconds())
	}
}
