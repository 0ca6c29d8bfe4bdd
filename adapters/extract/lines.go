package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// dropLines removes from an extracted article the lines that are never article text but
// that the extractors keep because they sit in the article's container: the title
// repeated as the first line (the article text excludes it), "Read more:" and "Related:"
// lines that point to another story, and a copyright notice. Each rule needs the line to
// be short, so a paragraph that merely starts with such words stays.
func dropLines(text, title string) string {
	lines := strings.Split(text, "\n")
	out := lines[:0]
	first := true
	title = collapse(title)
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" { // at most one blank line where a dropped line stood between two
			if len(out) == 0 || strings.TrimSpace(out[len(out)-1]) != "" {
				out = append(out, "")
			}
			continue
		}
		if first {
			first = false
			if title != "" && strings.EqualFold(collapse(t), title) {
				continue
			}
		}
		if pointerLine(t) || copyrightLine(t) {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// maxPointerRunes is the longest "Read more:" line dropped: a label and a headline.
const maxPointerRunes = 160

// pointerLabels start a line that points to another story.
var pointerLabels = []string{"read more", "related", "see also", "also read", "read also", "more",
	"recommended", "read next", "also see", "further reading", "watch", "listen", "you may also like"}

// pointerLine reports whether l is a label such as "Read more:" or "RELATED" followed by
// a headline.
func pointerLine(l string) bool {
	if utf8.RuneCountInString(l) > maxPointerRunes {
		return false
	}
	low := strings.ToLower(l)
	for _, p := range pointerLabels {
		rest, ok := strings.CutPrefix(low, p)
		if !ok {
			continue
		}
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		switch {
		case strings.HasPrefix(rest, ":"), strings.HasPrefix(rest, "|"), strings.HasPrefix(rest, "»"),
			strings.HasPrefix(rest, "—"), strings.HasPrefix(rest, "–"):
			return strings.TrimSpace(strings.TrimLeft(rest, ":|»—–")) != ""
		case rest != "" && len(l) >= len(p) && l[:len(p)] == strings.ToUpper(l[:len(p)]): // "READ MORE Headline"
			return true
		}
	}
	return false
}

// copyrightLine reports a short line that is a copyright notice.
func copyrightLine(l string) bool {
	if utf8.RuneCountInString(l) > 300 {
		return false
	}
	low := strings.ToLower(l)
	return strings.HasPrefix(low, "copyright") || strings.HasPrefix(low, "©") ||
		strings.HasPrefix(low, "(c) ") || strings.Contains(low, "all rights reserved")
}
