package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// switchFeatures are what the choice between trafilatura's article (the primary) and
// readability's (the candidate) is made on. Its fields are exported for the evaluation
// tools (export_test.go).
type switchFeatures struct {
	PrimaryRunes, CandRunes int
	// Contained is the share of the primary's words that the candidate holds too (each
	// word counted as often as it occurs): near 1 when the candidate is the same article
	// with more of it, near 0 when it is another block of the page (comments, a listing,
	// a form).
	Contained float64
	// Covered is the share of the candidate's words that the primary holds too: near 1
	// when the candidate is a part of the primary (see trims).
	Covered float64
	// RestProse is the prose share (proseShare) of the primary's lines that the candidate
	// does not hold word for word (restOf), RestShare their share of the primary's runes:
	// near 1 when no line of the primary is one of the candidate's, a primary whose lines
	// are not the article's paragraphs but a run of the page's text.
	RestProse, RestShare float64
	// CandLinkRunes is the share of the candidate's text inside links.
	CandLinkRunes float64
	// PrimaryProse and CandProse are the shares of each text in lines of at least
	// proseLineRunes: running prose rather than a listing, a form or a table.
	PrimaryProse, CandProse float64
}

// proseLineRunes is the shortest line counted as prose: two sentences or so.
const proseLineRunes = 150

// proseShare returns the share of text's runes in lines of at least proseLineRunes.
func proseShare(text string) float64 {
	all, prose := 0, 0
	for _, l := range strings.Split(text, "\n") {
		k := utf8.RuneCountInString(strings.TrimSpace(l))
		all += k
		if k >= proseLineRunes {
			prose += k
		}
	}
	if all == 0 {
		return 0
	}
	return float64(prose) / float64(all)
}

// replaces reports whether readability's candidate replaces trafilatura's article. A
// longer candidate alone is not enough. On go-trafilatura's comparison set the switch
// lost where a good short article was replaced by another block of the page that holds
// little of its text and is no running prose (bummfilm.de: a portfolio listing, contained
// 0.57, prose 0.47; attac.org: a newsletter form, 0.29 and 0.36), and it won where the
// candidate extends the primary (the rest of a Blogger post, the paragraphs trafilatura
// cut off: contained 0.64 to 1.00) or is running prose where trafilatura took a teaser
// (sheego.de, axios.com, chemie.de: contained 0.21 to 0.42, prose 0.61 to 0.97). So the
// candidate must hold most of the primary or be prose, unless the primary is too short to
// be an article at all or holds no prose (minCandProseOverNone), and a candidate with a
// quarter of its text in links is turned down (mitundvoneinander.de: the article extended
// by link lists, 0.30; the switches that won had at most 0.10), unless the primary is no
// article at all (maxCandLinkShareOverNone). Measured on go-trafilatura's comparison set against trafilatura
// alone: pages where the extractor loses 18 to 14 (the three near-total losses gone), the
// 127 pages it wins on kept; snippet F1 0.918 to 0.920 (recall 0.912 to 0.915). The
// English dev set does not change (its three switches extend Blogger posts).
func replaces(f switchFeatures) bool { return extends(f) || trims(f) }

// extends reports whether the candidate replaces a doubtful (short) primary as the longer
// article: see replaces.
func extends(f switchFeatures) bool {
	if !doubtful(f.PrimaryRunes) {
		return false
	}
	if float64(f.CandRunes) <= candidateFactor*float64(f.PrimaryRunes) {
		return false
	}
	if f.CandLinkRunes >= maxCandLinkShare && (f.PrimaryRunes >= minArticleRunes || f.CandLinkRunes >= maxCandLinkShareOverNone) {
		return false
	}
	return f.PrimaryRunes < minArticleRunes || f.Contained >= minContained || f.CandProse >= minCandProse ||
		f.PrimaryProse == 0 && f.CandProse >= minCandProseOverNone
}

// minContained, minCandProse and maxCandLinkShare: see replaces.
//
// minCandProseOverNone is the prose share a candidate needs when the primary has no line
// of prose at all: a primary of only short lines (a page's labels and menus, a dateline and
// a teaser) is no article even at 250 runes, while an article with its kicker, byline and
// photo credits as lines of their own is prose for less than 0.6 of its text (nytimes-5,
// 0.39; L3S news pages with a byline block, 0.31 to 0.54). Measured (TestGoldSets,
// TestGoldSwitch): six pages switch, each from F1 0-0.24 to 0.71-0.94, none lost; L3S news
// F1 0.8802 to 0.8859, Readability 0.9031 to 0.9113, Dragnet and CleanPortalEval unchanged;
// go-trafilatura's comparison set and the English dev set unchanged. Any share above 0
// switched the same pages.
//
// maxCandLinkShareOverNone is the link share a candidate may have when the primary is no
// article at all (under minArticleRunes once its dropped lines are not counted): the
// primary's text, or the page's visible text after it, is then menus and footers, and a
// candidate that is the story with its section menus is the better answer. Measured
// (TestGoldSets): L3S news F1 0.9154 to 0.9170 (a table-laid page whose story cell holds
// its menus, 0 to 0.97), Dragnet 0.8351 to 0.8350 (one page 0.23 to 0.20), the other sets
// and the comparison set unchanged.
const (
	maxCandLinkShareOverNone = 0.5
	minContained             = 0.6
	minCandProse             = 0.6
	maxCandLinkShare         = 0.25
	minCandProseOverNone     = 0.2
)

// contained returns the share of primary's words that cand holds too.
func contained(primary, cand string) float64 {
	pw := words(primary)
	if len(pw) == 0 {
		return 1
	}
	have := map[string]int{}
	for _, w := range words(cand) {
		have[w]++
	}
	common := 0
	for _, w := range pw {
		if have[w] > 0 {
			have[w]--
			common++
		}
	}
	return float64(common) / float64(len(pw))
}

// words splits s into lower-cased runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// linkShare returns the share of the visible text under n that sits inside links.
func linkShare(n *html.Node) float64 { return linkShareWithin(n, math.MaxInt) }

// linkShareWithin is linkShare over n's first maxNodes nodes: prune measures nested
// blocks each, and a bounded walk apiece keeps that linear.
func linkShareWithin(n *html.Node, maxNodes int) float64 {
	all, linked, nodes := 0, 0, 0
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil && nodes < maxNodes; c = c.NextSibling {
			nodes++
			switch c.Type {
			case html.TextNode:
				k := utf8.RuneCountInString(strings.TrimSpace(c.Data))
				all += k
				if inLink {
					linked += k
				}
			case html.ElementNode:
				if !invisible[c.DataAtom] {
					walk(c, inLink || c.DataAtom == atom.A || c.Data == "a")
				}
			}
		}
	}
	walk(n, false)
	if all == 0 {
		return 0
	}
	return float64(linked) / float64(all)
}

// joined returns the article that replaces the primary: the candidate, led by the primary
// when the candidate holds little of it. There the primary is most often the article's
// lead, which trafilatura found on its own and readability left out of the body it took.
func joined(primary, cand string, f switchFeatures) string {
	if trims(f) || f.Contained >= minContained || f.PrimaryRunes < minArticleRunes {
		return cand
	}
	return primary + "\n\n" + cand
}

// share returns part's share of whole's runes.
func share(part, whole string) float64 {
	n := utf8.RuneCountInString(whole)
	if n == 0 {
		return 0
	}
	return float64(utf8.RuneCountInString(part)) / float64(n)
}

// trims reports whether the candidate replaces the primary as its core, on a page of any
// length: the primary holds nearly all the candidate's words (Covered at least minCovered)
// and a good part more (Contained from minTrimContained to maxTrimContained), and what it
// holds beyond the candidate is no running prose (RestProse under maxRestProse) or is one
// run of text whose lines are none of the candidate's (RestShare at least minGluedRest:
// on table-laid news pages trafilatura returns the story cell with the page's menus,
// link lists and footer as one block). That rest is the page's template: menus, a
// byline box, a comment policy, related links. The primary must itself be prose for
// minTrimPrimaryProse of its text: where it is a recipe's ingredient lines or a listing,
// readability leaves out list lines that are the article (chefkoch.de, emacspeak on
// go-trafilatura's comparison set). Measured (TestGoldSets): L3S news F1 0.9170 to 0.9279
// (P 0.8708 to 0.8909), Readability 0.9205 to 0.9231, Dragnet 0.8350 to 0.8366,
// CleanPortalEval unchanged; 46 pages up by more than 0.1, one down by 0.07 (Dragnet's
// R57). Comparison snippets P 0.935 to 0.936, R 0.921 to 0.920 (one found lost on a
// recipe, eatwhattonight.com; three boilerplate lines fewer), F1 0.928 both; the English
// dev set unchanged. Running readability on every page costs speed: 1.27 times
// go-trafilatura's pages/s (BenchmarkExtractVsTrafilatura), from about 1.5. Looser limits
// (Contained up to 0.95, Covered from 0.9, no rest or prose guard) raised L3S news to
// 0.9453 and Readability to 0.9289, but lost 46 comparison snippets (F1 0.923: readability
// leaves out an article's second part, its subheadings and list lines) and lowered the
// English dev set (tuning 0.9175 to 0.9141, held-out 0.9412 to 0.9388).
//
// minGluedRest was 0.9 at first; 0.8 (measured after trimEdges) takes two more pages whose
// primary is the story run together with a thread of reader comments, each from F1 0.25-0.30
// to 0.91-0.96 (L3S news 0.9341 to 0.9348, Readability 0.9236 to 0.9268), and changes no
// other page of the gold sets, the comparison set or the English dev set. The comparison
// pages where readability leaves out an article's part have 0.67 of the primary at most
// in lines the candidate does not hold.
func trims(f switchFeatures) bool {
	return f.CandRunes >= minArticleRunes && f.Covered >= minCovered &&
		f.Contained > minTrimContained && f.Contained <= maxTrimContained &&
		f.PrimaryProse >= minTrimPrimaryProse && (f.RestProse < maxRestProse || f.RestShare >= minGluedRest)
}

// minCovered, minTrimContained, maxTrimContained, maxRestProse, minGluedRest and
// minTrimPrimaryProse: see trims.
const (
	minCovered          = 0.95
	minTrimContained    = 0.05
	maxTrimContained    = 0.8
	maxRestProse        = 0.3
	minGluedRest        = 0.8
	minTrimPrimaryProse = 0.5
)

// wordRun returns s's words (words) joined by single spaces, with a space before and
// after, and "" when s has none: a line is held word for word by a text when the text's
// run contains the line's.
func wordRun(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	return " " + strings.Join(ws, " ") + " "
}

// restOf returns the lines of primary that cand does not hold, word for word.
func restOf(primary, cand string) string {
	c := wordRun(cand)
	var out []string
	for _, l := range strings.Split(primary, "\n") {
		if w := wordRun(l); w != "" && !strings.Contains(c, w) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}

// sameArticle reports whether the candidate is nearly the whole primary (Covered at least
// minCovered, Contained over maxTrimContained): the two extractors found the same article,
// and the candidate's bounds may trim the primary's (trimEdges).
func sameArticle(f switchFeatures) bool {
	return f.CandRunes >= minArticleRunes && f.Covered >= minCovered && f.Contained > maxTrimContained
}

// trimEdges returns primary without its leading and trailing short lines (under
// proseLineRunes) that cand does not hold word for word. Where both extractors found the
// same article, those are the lines trafilatura took around it that readability left
// out: a kicker, a byline, a dateline, a "Share" or "Comments (3)" line. Lines inside the
// article stay (readability drops subheadings that are the article's: the English dev
// set's magazine pages), and so do lines of prose and lines without words ("=)").
// Measured (TestGoldSets): L3S news F1 0.9279 to 0.9341 (P 0.8909 to 0.9025), Dragnet
// 0.8366 to 0.8370, Readability 0.9231 to 0.9236, CleanPortalEval 0.9335 to 0.9333; 30
// pages up by more than 0.05, six Dragnet pages down by 0.03 to 0.06. English dev set
// tuning 0.9175 to 0.9197, held-out 0.9412 to 0.9437; comparison snippets P 0.936 to
// 0.939, R 0.920 both, F1 0.928 to 0.929 (nine boilerplate lines fewer, two found lost:
// subtitles set above the article). Trimming lines of any length lost eleven comparison
// snippets (R 0.916), leads and closing lines that readability leaves out.
func trimEdges(primary, cand string) string {
	c := wordRun(cand)
	lines := strings.Split(primary, "\n")
	cut := func(l string) bool {
		t := strings.TrimSpace(l)
		if t == "" {
			return true
		}
		w := wordRun(t)
		return w != "" && utf8.RuneCountInString(t) < proseLineRunes && !strings.Contains(c, w)
	}
	i, j := 0, len(lines)
	for i < j && cut(lines[i]) {
		i++
	}
	for j > i && cut(lines[j-1]) {
		j--
	}
	if i == j {
		return primary
	}
	return strings.Join(lines[i:j], "\n")
}
