package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"taskrunner/adapters/extract"
)

// TestQuickDev scores the extractor alone, on every core, on go-trafilatura's comparison
// set (snippet F1, EXTRACT_EVAL_DIR), the English dev set (shingle F1, tuning and
// held-out) and, when EXTRACT_READABILITY_DIR names a readability module with its
// test-pages, on those pages with readability's expected article as the reference
// (shingle F1; that reference keeps captions and some boilerplate, so its recall is the
// figure to read). With EXTRACT_QUICK_OUT naming a file it writes each page's score there,
// one line a page, for diffing two runs. A tool for trying changes quickly; it runs only
// when EXTRACT_QUICK is set.
func TestQuickDev(t *testing.T) {
	if os.Getenv("EXTRACT_QUICK") == "" {
		t.Skip("set EXTRACT_QUICK (and EXTRACT_EVAL_DIR) to score the extractor quickly")
	}
	ours := devVariants()[0]
	if os.Getenv("EXTRACT_QUICK_TRAF") != "" {
		ours = devVariants()[1]
	}
	var lines []string
	if root := os.Getenv("EXTRACT_EVAL_DIR"); root != "" {
		ps := comparisonPages(t, root)
		texts := runDev(ours, ps)
		var s evalScore
		for i, p := range ps {
			var one evalScore
			one.add(texts[i], p)
			s.add(texts[i], p)
			lines = append(lines, fmt.Sprintf("cmp %s tp %d fn %d fp %d", p.name, one.tp, one.fn, one.fp))
		}
		t.Logf("comparison: snippets %s", s)
	}
	en := englishPages(t)
	var ps []evalPage
	for _, p := range en {
		ps = append(ps, p.evalPage)
	}
	texts := runDev(ours, ps)
	var tuning, heldout shingleScore
	for i, p := range en {
		sp, sr := overlap(bag(shingles(texts[i])), bag(shingles(p.want)))
		if p.heldout {
			heldout.add(sp, sr)
		} else {
			tuning.add(sp, sr)
		}
		lines = append(lines, fmt.Sprintf("en %s P %.3f R %.3f", p.name, sp, sr))
	}
	t.Logf("english: tuning %s; held-out %s", tuning, heldout)
	if dir := os.Getenv("EXTRACT_READABILITY_DIR"); dir != "" {
		rp := readabilityPages(t, dir)
		texts := runDev(ours, rp)
		var s shingleScore
		for i, p := range rp {
			sp, sr := overlap(bag(shingles(texts[i])), bag(shingles(p.want)))
			s.add(sp, sr)
			lines = append(lines, fmt.Sprintf("rd %s P %.3f R %.3f", p.name, sp, sr))
			if d := os.Getenv("EXTRACT_QUICK_DUMP"); d != "" { // for reading what was kept
				_ = os.WriteFile(filepath.Join(d, p.name+".got.txt"), []byte(texts[i]), 0o644)
				_ = os.WriteFile(filepath.Join(d, p.name+".want.txt"), []byte(p.want), 0o644)
			}
		}
		t.Logf("readability pages: %s", s)
	}
	if out := os.Getenv("EXTRACT_QUICK_OUT"); out != "" {
		sort.Strings(lines)
		if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readabilityPages reads a readability module's test-pages: source.html and, as the
// reference text, expected.html rendered as this package renders.
func readabilityPages(t *testing.T, dir string) []evalPage {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "test-pages"))
	if err != nil {
		t.Fatal(err)
	}
	var out []evalPage
	for _, e := range entries {
		src, err1 := os.ReadFile(filepath.Join(dir, "test-pages", e.Name(), "source.html"))
		exp, err2 := os.ReadFile(filepath.Join(dir, "test-pages", e.Name(), "expected.html"))
		if err1 != nil || err2 != nil {
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(exp)))
		if err != nil {
			continue
		}
		out = append(out, evalPage{name: e.Name(), html: string(src), want: extract.RenderText(doc)})
	}
	return out
}
