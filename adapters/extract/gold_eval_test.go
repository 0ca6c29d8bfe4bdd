package extract_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// TestGoldSets scores the extractor and go-trafilatura alone by shingled token F1 (as the
// hidden benchmark scores) on public sets of pages with whole hand-made article texts, kept
// outside this repository. It is a tool, not a check: it runs only when EXTRACT_GOLD_DIR
// names a directory whose subdirectories each hold input/NAME.html and GoldStandard/NAME.txt
// (the layout of the merged cleaning datasets: the L3S Google News set, Dragnet's, and
// Readability's test pages, CleanPortalEval's news portal pages). A gold file is read in
// the form its set uses: an L3S annotation (the page with the article's full text in
// x-nc-sel2 elements), an HTML fragment (Readability's expected output), CleanEval's marked
// text (CleanPortalEval's), or plain text (Dragnet's).
//
//	EXTRACT_GOLD_DIR=/path/to/sets go test -run TestGoldSets -v ./adapters/extract/
//
// With EXTRACT_GOLD_LOSSES set it lists, per set, the pages where the extractor scores
// below go-trafilatura alone by more than 0.05 F1; with EXTRACT_GOLD_SHOW naming a page, it
// prints that page's gold text and both extractors' texts; with EXTRACT_GOLD_SCORES naming a
// file, it writes there each page's F1, the extractor's and go-trafilatura's, a line each
// (to compare two versions page by page).
func TestGoldSets(t *testing.T) {
	sets := goldSets(t, "score the extractor on sets with whole gold texts")
	ours := taskrunnerVariant()
	var scores strings.Builder
	if out := os.Getenv("EXTRACT_GOLD_SCORES"); out != "" {
		defer func() { require.NoError(t, os.WriteFile(out, []byte(scores.String()), 0o644)) }()
	}
	for _, set := range sets {
		pages := set.pages
		if show := os.Getenv("EXTRACT_GOLD_SHOW"); show != "" {
			for _, p := range pages {
				if p.name == show {
					t.Logf("==== gold\n%.2500s\n==== taskrunner\n%.2500s\n==== go-trafilatura alone\n%.2500s",
						p.want, ours.run(p.html), trafilaturaAlone(p.html))
				}
			}
			continue
		}
		var a, b shingleScore
		type loss struct {
			name     string
			gap      float64
			our, alt float64
		}
		var losses []loss
		for _, p := range pages {
			op, or := overlap(bag(shingles(ours.run(p.html))), bag(shingles(p.want)))
			tp, tr := overlap(bag(shingles(trafilaturaAlone(p.html))), bag(shingles(p.want)))
			a.add(op, or)
			fmt.Fprintf(&scores, "%s/%s %.4f %.4f\n", set.name, p.name, harmonic(op, or), harmonic(tp, tr))
			b.add(tp, tr)
			if gap := harmonic(tp, tr) - harmonic(op, or); gap > 0.05 {
				losses = append(losses, loss{p.name, gap, harmonic(op, or), harmonic(tp, tr)})
			}
		}
		t.Logf("%s: taskrunner %s; go-trafilatura alone %s", set.name, a, b)
		if os.Getenv("EXTRACT_GOLD_LOSSES") != "" {
			sort.Slice(losses, func(i, j int) bool { return losses[i].gap > losses[j].gap })
			for _, l := range losses {
				t.Logf("  loses %-50s F1 %.3f against %.3f", l.name, l.our, l.alt)
			}
		}
	}
}

// goldSet is one set of pages with whole gold texts.
type goldSet struct {
	name  string
	pages []evalPage
}

// goldSets reads the sets under EXTRACT_GOLD_DIR, skipping the test (to do what) when it
// is not set.
func goldSets(t *testing.T, what string) []goldSet {
	t.Helper()
	root := os.Getenv("EXTRACT_GOLD_DIR")
	if root == "" {
		t.Skip("set EXTRACT_GOLD_DIR to " + what)
	}
	dirs, err := os.ReadDir(root)
	require.NoError(t, err)
	var out []goldSet
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		if pages := goldPages(t, filepath.Join(root, d.Name())); len(pages) > 0 {
			out = append(out, goldSet{d.Name(), pages})
		}
	}
	return out
}

// goldPages reads one set: every input page that has a gold text.
func goldPages(t *testing.T, dir string) []evalPage {
	t.Helper()
	inputs, err := filepath.Glob(filepath.Join(dir, "input", "*.html"))
	require.NoError(t, err)
	var out []evalPage
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".html")
		gold, err := os.ReadFile(filepath.Join(dir, "GoldStandard", name+".txt"))
		if err != nil {
			continue
		}
		raw, err := os.ReadFile(in)
		require.NoError(t, err)
		want := goldText(gold)
		if strings.TrimSpace(want) == "" {
			continue
		}
		out = append(out, evalPage{name: name, html: decodePage(raw), want: want})
	}
	return out
}

// decodePage turns a saved page into UTF-8 the way a browser would pick its charset.
func decodePage(raw []byte) string {
	enc, _, _ := charset.DetermineEncoding(raw, "text/html")
	if b, err := enc.NewDecoder().Bytes(raw); err == nil {
		return string(b)
	}
	return string(raw)
}

// goldText reads a gold file as its set writes it (see TestGoldSets).
func goldText(gold []byte) string {
	if !utf8.Valid(gold) {
		if b, err := charmap.Windows1252.NewDecoder().Bytes(gold); err == nil {
			gold = b
		}
	}
	switch {
	case bytes.Contains(gold, []byte("x-nc-sel2")):
		return annotatedText(gold, "x-nc-sel2")
	case bytes.HasPrefix(bytes.TrimSpace(gold), []byte("URL:")):
		return cleanEvalText(gold)
	case bytes.HasPrefix(bytes.TrimSpace(gold), []byte("<")):
		doc, err := html.Parse(bytes.NewReader(gold))
		if err != nil {
			return ""
		}
		return extract.RenderText(doc)
	default:
		return string(gold)
	}
}

// cleanEvalText reads a gold file in CleanEval's form (CleanPortalEval uses it): a first
// line naming the page's URL, then the text with a <p>, <h> or <l> marker opening each
// block and HTML's character references left as they were on the page.
func cleanEvalText(gold []byte) string {
	_, body, _ := bytes.Cut(bytes.TrimSpace(gold), []byte("\n"))
	var sb strings.Builder
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		for _, marker := range []string{"<p>", "<h>", "<l>"} {
			if rest, ok := strings.CutPrefix(line, marker); ok {
				sb.WriteString("\n")
				line = rest
			}
		}
		sb.WriteString(html.UnescapeString(line))
		sb.WriteString(" ")
	}
	return sb.String()
}

// annotatedText is the text of the elements with class, a line break at each block
// boundary, scripts and styles left out.
func annotatedText(doc []byte, class string) string {
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		return ""
	}
	var sb strings.Builder
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "noscript", "head":
				return
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article":
				sb.WriteString("\n")
			}
			if !in {
				for _, a := range n.Attr {
					if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
						in = true
					}
				}
			}
		}
		if n.Type == html.TextNode {
			if in {
				sb.WriteString(n.Data)
			} else {
				// Text outside the selection still parts the words around it: the annotated
				// runs of a sentence are spans with the spaces between them left out.
				sb.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(root, false)
	return sb.String()
}

// TestGoldSwitch weighs the candidate switch (choose.go) on the gold sets: on each page
// where readability's candidate replaced trafilatura's article, the page's F1 with the
// switch and without it; it logs the pages where either is better by more than 0.1, with
// the decision's features, and the totals. A tool, run only with EXTRACT_GOLD_DIR.
func TestGoldSwitch(t *testing.T) {
	sets := goldSets(t, "weigh the candidate switch on sets with whole gold texts")
	var fired bool
	var feat extract.SwitchFeatures
	on := extract.NewWithDecision(func(f extract.SwitchFeatures) bool {
		fired, feat = extract.Replaces(f), f
		return fired
	})
	off := extract.NewWithDecision(func(extract.SwitchFeatures) bool { return false })
	f1 := func(ex *extract.Extractor, p evalPage) float64 {
		out, _ := ex.Extract(context.Background(), domain.ExtractInput{HTML: p.html, ReaderMode: true})
		return harmonic(overlap(bag(shingles(out.Text)), bag(shingles(p.want))))
	}
	for _, set := range sets {
		pages := set.pages
		var switched, wins, losses int
		var sumOn, sumOff float64
		for _, p := range pages {
			fired = false
			with := f1(on, p)
			if !fired {
				continue
			}
			without := f1(off, p)
			switched++
			sumOn, sumOff = sumOn+with, sumOff+without
			switch {
			case with > without+0.1:
				wins++
				t.Logf("  wins  %s F1 %.3f against %.3f: %+v", p.name, with, without, feat)
			case without > with+0.1:
				losses++
				t.Logf("  loses %s F1 %.3f against %.3f: %+v", p.name, with, without, feat)
			}
		}
		t.Logf("%s: switched on %d of %d pages; wins %d, losses %d; mean F1 of those pages %.3f with the switch, %.3f without",
			set.name, switched, len(pages), wins, losses, sumOn/max(1, float64(switched)), sumOff/max(1, float64(switched)))
	}
}

// TestGoldPasses weighs each of this package's passes around trafilatura (noscript,
// comments, prune, paragraphs, inline, lede, jsonld, lines, sections, commentcut, linkruns, tail) on the gold
// sets: every set's F1 with all passes and with each left out. A tool, run only with
// EXTRACT_GOLD_DIR.
func TestGoldPasses(t *testing.T) {
	sets := goldSets(t, "weigh the passes on sets with whole gold texts")
	variants := []struct {
		name string
		ex   *extract.Extractor
	}{{"all passes", extract.NewWithout()}}
	for _, p := range []string{"noscript", "comments", "prune", "paragraphs", "inline", "lede", "jsonld", "lines", "sections", "commentcut", "linkruns", "tail"} {
		variants = append(variants, struct {
			name string
			ex   *extract.Extractor
		}{"without " + p, extract.NewWithout(p)})
	}
	for _, set := range sets {
		pages := set.pages
		for _, v := range variants {
			var s shingleScore
			for _, p := range pages {
				out, _ := v.ex.Extract(context.Background(), domain.ExtractInput{HTML: p.html, ReaderMode: true})
				s.add(overlap(bag(shingles(out.Text)), bag(shingles(p.want))))
			}
			t.Logf("%s, %s: %s", set.name, v.name, s)
		}
	}
}

// TestAnnotatedTextKeepsWordBreaks: an L3S gold text is annotated run by run, the space
// between two runs left outside both; the words must stay apart.
func TestAnnotatedTextKeepsWordBreaks(t *testing.T) {
	gold := `<p><a href="#"><span class="x-nc-sel2">Fulham</span></a>
<span class="x-nc-sel2">have paid a fee for</span> <a href="#"><span class="x-nc-sel2">Brede Hangeland</span></a></p>`
	require.Equal(t, "fulham have paid a fee for brede hangeland",
		strings.Join(tokenList(annotatedText([]byte(gold), "x-nc-sel2")), " "))
}
