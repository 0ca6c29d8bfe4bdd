package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// News and blog templates often end the article's container with a section of other
// stories ("You Might Also Like", "More from Opinion", "Related Articles", "Lesen Sie
// auch") that the extractors keep as part of the article: a heading and a list of
// headlines or teasers, too many lines for trimTail. dropSections removes such a heading
// and the short lines after it, up to the next line of prose (at least resumeRunes, a
// paragraph of the article, which a related box set in the middle of the article is
// followed by) or the end. Only headings in the second half of the text count, so a
// "Related" line at the top (a kicker) stays. Measured: go-trafilatura's comparison set,
// snippet boilerplate kept 183 to 180, annotated text lost 232 to 233 (a podcast's
// "Published on" line, trimmed once its related list was gone), F1 0.9195 to 0.9198;
// readability's test pages (news sites among them) shingle F1 0.9435 to 0.9446 (P 0.9494
// to 0.9517: salon's "You Might Also Like" list, the Herald Sun's "Other Opinion
// Columns"); the English dev set does not change. The headings of story lists and of the
// content-recommendation boxes news pages carry ("Story History", "Also in this
// section", "Around the Web", "Sponsored Stories"): L3S news 0.9436 to 0.9438 (3 pages
// up, none down; the first two were read off its losses), the other sets unchanged.
const resumeRunes = 250

// sectionHeadRe matches a heading line that opens a section of other stories or of
// comments, in the languages of the dev sets.
var sectionHeadRe = regexp.MustCompile(`(?i)^(you might also like|you may also like|more related stories|` +
	`related( stories| articles| posts| content| coverage| videos| reading| news)?|` +
	`recommended( for you| stories| articles)?|more from .{1,40}|more in .{1,30}|most (popular|read|viewed)|` +
	`trending( now| stories)?|comments?|\d+ comments?|leave a (reply|comment)|join the (discussion|conversation)|` +
	`read next|further reading|more stories|more news|latest news|top stories|editor.?s picks|` +
	`other .{1,30} columns|what to read next|popular (posts|stories|articles)|` +
	`story history|recent (stories|news|posts|articles)|also in this section|in other news|` +
	`(latest|top) headlines|(from )?around the web|(sponsored|promoted) (stories|content|links)|` +
	`elsewhere on .{1,30}|more (news|stories) from .{1,30}|` +
	`mehr zum thema|das könnte sie auch interessieren|weitere artikel|lesen sie auch|auch interessant|kommentare|` +
	`à lire aussi|a lire aussi|sur le même sujet|commentaires|` +
	`te puede interesar|noticias relacionadas|comentarios|lee también|artículos relacionados)[ :.]*$`)

// dropSections returns text without the sections described above. A line that is the
// whole text of one of the page's heading cells (tableHeadings) is a table's column
// heading, and stays with the table's rows after it.
func dropSections(text string, cells *pageTexts) string {
	lines := strings.Split(text, "\n")
	total := utf8.RuneCountInString(text)
	before := 0 // runes of the lines before the current one
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if t := strings.TrimSpace(l); i > 0 && before*2 >= total && sectionHeadRe.MatchString(t) && !cells.has(t) {
			j := i + 1
			for j < len(lines) && utf8.RuneCountInString(strings.TrimSpace(lines[j])) < resumeRunes {
				j++
			}
			before += utf8.RuneCountInString(strings.Join(lines[i:j], "\n")) + 1
			i = j - 1
			continue
		}
		before += utf8.RuneCountInString(l) + 1
		out = appendLine(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
