package extract_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// pageLoss is one page where the extractor scores below go-trafilatura alone.
type pageLoss struct {
	set, name        string
	ours, traf, diff float64
	nearReadability  bool // ours is closer to readability's article than to trafilatura's
}

// TestPagesAgainstTrafilatura lists, page by page, where the extractor scores below
// go-trafilatura alone (default options): shingle F1 on the English dev set, snippet F1 on
// go-trafilatura's comparison set. Each line says whether the extractor's text is nearer
// readability's article than trafilatura's, the mark of a candidate switch. It is a tool,
// not a check; it runs only when EXTRACT_PAGES is set (and EXTRACT_EVAL_DIR for the
// comparison set).
func TestPagesAgainstTrafilatura(t *testing.T) {
	if os.Getenv("EXTRACT_PAGES") == "" {
		t.Skip("set EXTRACT_PAGES (and EXTRACT_EVAL_DIR) to list the pages where the extractor loses")
	}
	vs := devVariants()
	ours, traf, alone := vs[0], vs[1], devVariant{"readeck alone", func(doc *html.Node, _ string) string {
		if n := readeckNode(doc); n != nil {
			return extract.RenderText(n)
		}
		return ""
	}}
	var losses []pageLoss
	var wins, same int
	compare := func(set string, ps []evalPage, f1 func(text string, p evalPage) float64) {
		o, tr, rd := runDev(ours, ps), runDev(traf, ps), runDev(alone, ps)
		for i, p := range ps {
			a, b := f1(o[i], p), f1(tr[i], p)
			switch {
			case a < b-1e-9:
				op, _ := overlap(bag(shingles(o[i])), bag(shingles(rd[i])))
				ot, _ := overlap(bag(shingles(o[i])), bag(shingles(tr[i])))
				losses = append(losses, pageLoss{set, p.name, a, b, b - a, op > ot})
				for _, w := range p.with {
					if !strings.Contains(collapse(o[i]), collapse(w)) && strings.Contains(collapse(tr[i]), collapse(w)) {
						t.Logf("  %s: lost %q", p.name, w)
					}
				}
				for _, w := range p.without {
					if strings.Contains(collapse(o[i]), collapse(w)) && !strings.Contains(collapse(tr[i]), collapse(w)) {
						t.Logf("  %s: kept %q", p.name, w)
					}
				}
			case a > b+1e-9:
				wins++
				op, _ := overlap(bag(shingles(o[i])), bag(shingles(rd[i])))
				ot, _ := overlap(bag(shingles(o[i])), bag(shingles(tr[i])))
				if op > ot {
					t.Logf("WIN by switch %-10s %-60s ours %.3f traf %.3f", set, p.name, a, b)
				}
			default:
				same++
			}
		}
	}
	en := englishPages(t)
	var enPages []evalPage
	for _, p := range en {
		enPages = append(enPages, p.evalPage)
	}
	compare("english", enPages, func(text string, p evalPage) float64 {
		sp, sr := overlap(bag(shingles(text)), bag(shingles(p.want)))
		return harmonic(sp, sr)
	})
	if root := os.Getenv("EXTRACT_EVAL_DIR"); root != "" {
		compare("comparison", comparisonPages(t, root), func(text string, p evalPage) float64 {
			var s evalScore
			s.add(text, p)
			if s.tp == 0 {
				return 0
			}
			return s.f1()
		})
	}
	sort.Slice(losses, func(i, j int) bool { return losses[i].diff > losses[j].diff })
	for _, l := range losses {
		t.Logf("%-10s %-60s ours %.3f traf %.3f (-%.3f) nearer readability %v", l.set, l.name, l.ours, l.traf, l.diff, l.nearReadability)
	}
	t.Logf("%d pages lose, %d win, %d equal", len(losses), wins, same)
}

// TestShowPage prints, for the comparison page named by EXTRACT_SHOW, its annotations and
// the texts of the extractor, trafilatura alone and readability alone.
func TestShowPage(t *testing.T) {
	name, root := os.Getenv("EXTRACT_SHOW"), os.Getenv("EXTRACT_EVAL_DIR")
	if name == "" || root == "" {
		t.Skip("set EXTRACT_SHOW and EXTRACT_EVAL_DIR to show one page")
	}
	for _, p := range comparisonPages(t, root) {
		if p.name != name {
			continue
		}
		t.Logf("WITH %q\nWITHOUT %q", p.with, p.without)
		vs := devVariants()
		for _, v := range []devVariant{vs[0], vs[1], vs[len(vs)-1]} {
			doc, _ := html.Parse(strings.NewReader(p.html))
			txt := v.run(doc, p.html)
			t.Logf("==== %s (%d bytes)\n%.1500s", v.name, len(txt), txt)
		}
	}
}

// TestSwitchFeatures logs, for every page where readability's candidate was weighed, the
// features of the decision and the page's score with and without the switch (shingle F1
// on the English dev set, snippet F1 on the comparison set). A tool for tuning replaces;
// it runs only when EXTRACT_SWITCH is set (and EXTRACT_EVAL_DIR for the comparison set).
func TestSwitchFeatures(t *testing.T) {
	if os.Getenv("EXTRACT_SWITCH") == "" {
		t.Skip("set EXTRACT_SWITCH (and EXTRACT_EVAL_DIR) to log the candidate decisions")
	}
	var ps []evalPage
	for _, p := range englishPages(t) {
		ps = append(ps, p.evalPage)
	}
	if root := os.Getenv("EXTRACT_EVAL_DIR"); root != "" {
		ps = append(ps, comparisonPages(t, root)...)
	}
	f1 := func(text string, p evalPage) float64 {
		if p.want != "" {
			sp, sr := overlap(bag(shingles(text)), bag(shingles(p.want)))
			return harmonic(sp, sr)
		}
		var s evalScore
		s.add(text, p)
		if s.tp == 0 {
			return 0
		}
		return s.f1()
	}
	run := func(decide func(extract.SwitchFeatures) bool, h string) string {
		out, _ := extract.NewWithDecision(decide).Extract(context.Background(), domain.ExtractInput{HTML: h, ReaderMode: true})
		return out.Text
	}
	never := func(extract.SwitchFeatures) bool { return false }
	always := func(extract.SwitchFeatures) bool { return true }
	for _, p := range ps {
		var got extract.SwitchFeatures
		seen := false
		record := func(f extract.SwitchFeatures) bool { got, seen = f, true; return extract.Replaces(f) }
		chosen := run(record, p.html)
		if !seen || got.CandRunes <= 2*got.PrimaryRunes {
			continue
		}
		a, n, s := f1(chosen, p), f1(run(never, p.html), p), f1(run(always, p.html), p)
		t.Logf("%-50.50s prim %5d cand %6d cont %.2f links %.2f prose %.2f %.2f | chosen %.3f keep %.3f switch %.3f",
			p.name, got.PrimaryRunes, got.CandRunes, got.Contained, got.CandLinkRunes, got.PrimaryProse, got.CandProse, a, n, s)
	}
}
