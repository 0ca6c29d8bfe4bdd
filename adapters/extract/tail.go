package extract

import (
	"strings"
	"unicode/utf8"
)

// The article extractors often keep a few short lines after the article's last paragraph:
// "Last modified", a contact line, the titles of related posts, a photo credit, a
// newsletter prompt. trimTail drops such a tail when it is made of at least
// minTailLines and at most maxTailLines lines, each shorter than shortLineRunes, and
// follows a line of at least longLineRunes (the article's body). A longer run of short
// lines is more likely a list that belongs to the article (a ranking, a recipe's steps)
// and is kept. Measured on go-trafilatura's comparison pages (dev_eval_test.go), on
// trafilatura's output: snippet precision 0.913 to 0.923, recall 0.888 to 0.885, F1
// 0.900 to 0.904; 86 of 888 pages change.
const (
	longLineRunes  = 200
	shortLineRunes = 80
	minTailLines   = 2
	maxTailLines   = 12
)

// trimTail returns text without its tail of short lines, as described above.
func trimTail(text string) string {
	lines := strings.Split(text, "\n")
	last := -1
	for i := len(lines) - 1; i >= 0; i-- {
		if utf8.RuneCountInString(strings.TrimSpace(lines[i])) >= longLineRunes {
			last = i
			break
		}
	}
	if last < 0 {
		return text
	}
	tail := 0
	for _, l := range lines[last+1:] {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if utf8.RuneCountInString(l) >= shortLineRunes {
			return text
		}
		tail++
	}
	if tail < minTailLines || tail > maxTailLines {
		return text
	}
	return strings.TrimSpace(strings.Join(lines[:last+1], "\n"))
}
