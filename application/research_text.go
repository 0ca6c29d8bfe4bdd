package application

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"taskrunner/domain"
)

// excerptRunes is the length of a page's excerpt in the reports.
const excerptRunes = 280

// pageFacts are what the reports show of a page read.
type pageFacts struct {
	title, byline string
	publishedAt   *string
	wordCount     int
	excerpt       string
}

// readText reads a fetch_text artifact's metadata and streams its text once for the
// excerpt and, when the metadata has none, the word count: a page of any size costs a
// buffer, not its length in memory.
func (h *ResearchHandler) readText(ctx context.Context, a domain.Artifact) (pageFacts, error) {
	var meta struct {
		Title       string  `json:"title"`
		Byline      string  `json:"byline"`
		Excerpt     string  `json:"excerpt"`
		PublishedAt *string `json:"published_at"`
		WordCount   *int    `json:"word_count"`
	}
	if len(a.Metadata) > 0 {
		_ = json.Unmarshal(a.Metadata, &meta) // a field of another shape is left out, not fatal
	}
	f := pageFacts{title: meta.Title, byline: meta.Byline, publishedAt: meta.PublishedAt}
	if meta.PublishedAt != nil && *meta.PublishedAt == "" {
		f.publishedAt = nil
	}
	_, rc, err := h.search.deps.Artifacts.Open(ctx, a.ID, nil)
	if err != nil {
		return pageFacts{}, err
	}
	defer rc.Close()
	var ex strings.Builder
	words, inWord, runes := 0, false, 0
	r := bufio.NewReader(rc)
	for {
		c, _, err := r.ReadRune()
		if err != nil {
			break // EOF, or a read error: the facts so far stand
		}
		if unicode.IsSpace(c) {
			inWord = false
		} else if !inWord {
			inWord = true
			words++
		}
		if runes < excerptRunes {
			if unicode.IsSpace(c) {
				c = ' '
			}
			if c != ' ' || (ex.Len() > 0 && !strings.HasSuffix(ex.String(), " ")) {
				ex.WriteRune(c)
				runes++
			}
		} else if meta.WordCount != nil {
			break // nothing more to learn from the text
		}
	}
	f.wordCount = words
	if meta.WordCount != nil {
		f.wordCount = *meta.WordCount
	}
	f.excerpt = strings.TrimSpace(ex.String())
	if runes >= excerptRunes {
		f.excerpt = trimToWord(f.excerpt) + "…"
	}
	if f.excerpt == "" {
		f.excerpt = meta.Excerpt
	}
	return f, nil
}

// trimToWord cuts s after its last complete word, unless that would leave little.
func trimToWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i > utf8.RuneCountInString(s)/2 {
		return s[:i]
	}
	return s
}
