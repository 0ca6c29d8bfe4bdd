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
func replaces(f switchFeatures) bool {
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
	if f.Contained >= minContained || f.PrimaryRunes < minArticleRunes {
		return cand
	}
	return primary + "\n\n" + cand
}
