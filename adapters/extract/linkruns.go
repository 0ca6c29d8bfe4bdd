package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// On pages laid out in tables, the extractors may take a whole column: the article's
// paragraphs and, around them, the site's menus, headline lists and archive links, each
// link a line of its own. dropLinkRuns removes each run of at least minLinkRun lines that
// are each the whole text of one of the page's links (a count after it, "(14)", allowed),
// when the lines left hold at least minProseAfterLinks runes of prose. An article rarely
// sets that many bare links one after another; a page that is only such lists (an index)
// keeps them, since no prose would be left. Only a run before the article's first
// paragraph or after its last goes: a list between paragraphs (a changelog's bugs, a
// match report's teams) is the article's.
//
// Measured (TestGoldSets, shingle F1): L3S news 0.9438 to 0.9458 (P 0.9200 to 0.9239;
// 21 pages up, one down by 0.03: a match report's team names after its last paragraph),
// Dragnet 0.8344 to 0.8347 (14 up, 4 down: posts' closing lists of links, which its gold
// keeps), Readability 0.9271 to 0.9267 (yahoo-1's "More games news:" list, which its
// gold keeps, and wikipedia-3); CleanPortalEval, go-trafilatura's comparison snippets
// and the English dev set unchanged. Of the lines it removes on the pages that change,
// 646 are not in the gold text and 62 are (19 of them one post's list of its series).
// Without the edge rule two more pages lost lists of their own (firefox-nightly-blog's
// bugs, 0.90 to 0.87).

const (
	// minLinkRun is the fewest link lines in a row that read as a list of links.
	minLinkRun = 4
	// maxLinkLineRunes bounds the lines (and anchors) compared: a headline, not a paragraph.
	maxLinkLineRunes = 150
	// minProseAfterLinks is the prose (runes in lines of at least shortLineRunes) the text
	// must keep for its link runs to go.
	minProseAfterLinks = 500
)

// dropLinkRuns returns text without its runs of link lines, as described above.
func dropLinkRuns(text string, links *pageTexts) string {
	lines := strings.Split(text, "\n")
	short := make([]bool, len(lines))
	for i, l := range lines {
		short[i] = utf8.RuneCountInString(strings.TrimSpace(l)) <= maxLinkLineRunes
	}
	// Only a run of short lines can hold a run of link lines: most pages have none long
	// enough, and never pay for reading the page's links.
	if !hasRun(lines, func(i int) bool { return short[i] }) {
		return text
	}
	first, last := proseSpan(lines)
	isLink := func(i int) bool { return short[i] && links.has(lines[i]) }
	drop := make([]bool, len(lines))
	found := false
	// One pass: a run starts at a link line and ends before the next line that is neither
	// blank nor a link; end is one past its last link line.
	start, end, n := -1, -1, 0
	closeRun := func() {
		if n >= minLinkRun && (end <= first || start > last) {
			for k := start; k < end; k++ {
				drop[k] = true
			}
			found = true
		}
		start, n = -1, 0
	}
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
		case isLink(i):
			if start < 0 {
				start = i
			}
			n++
			end = i + 1
		default:
			closeRun()
		}
	}
	closeRun()
	if !found {
		return text
	}
	kept := make([]string, 0, len(lines))
	prose := 0
	for i, l := range lines {
		if drop[i] {
			continue
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(l)); n >= shortLineRunes {
			prose += n
		}
		kept = appendLine(kept, l)
	}
	if prose < minProseAfterLinks {
		return text
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// proseSpan returns the indexes of the first and the last line of at least longLineRunes
// (the article's paragraphs), or len(lines) and -1 when there is none.
func proseSpan(lines []string) (first, last int) {
	first, last = len(lines), -1
	for i, l := range lines {
		if utf8.RuneCountInString(strings.TrimSpace(l)) >= longLineRunes {
			first, last = min(first, i), i
		}
	}
	return first, last
}

// hasRun reports whether minLinkRun non-blank lines in a row match.
func hasRun(lines []string, match func(int) bool) bool {
	n := 0
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
		case match(i):
			if n++; n >= minLinkRun {
				return true
			}
		default:
			n = 0
		}
	}
	return false
}

// linkTexts is the set of the page's link texts (anchorTexts), read on the first question
// only.
func linkTexts(doc *html.Node) *pageTexts {
	return &pageTexts{doc: doc, read: anchorTexts, key: linkKey}
}

// linkKey is the form lines and anchors are compared in: cellKey's, a trailing count or
// list mark left out.
func linkKey(s string) string {
	s = strings.TrimRight(cellKey(s), listMarks)
	if strings.HasSuffix(s, ")") {
		if open := strings.LastIndexByte(s, '('); open >= 0 && allDigits(s[open+1:len(s)-1]) {
			s = strings.TrimRight(s[:open], listMarks)
		}
	}
	return s
}

// listMarks are the spaces and marks a list sets around a link's text.
const listMarks = " »›|·•-"

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// anchorTexts returns the keys (linkKey) of doc's visible links whose text is at most
// maxLinkLineRunes long.
func anchorTexts(doc *html.Node) map[string]bool {
	texts := map[string]bool{}
	isLink := func(n *html.Node) bool { return n.DataAtom == atom.A }
	for _, a := range takeElements(doc, isLink, visible) {
		if visibleRunes(a, maxLinkLineRunes) > maxLinkLineRunes {
			continue
		}
		if k := linkKey(textOf(a)); k != "" {
			texts[k] = true
		}
	}
	return texts
}
