package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A page whose JSON-LD gives the article's text (articleBody): the lines of the article's
// container that the body does not hold (a related story's headline, a caption) go; the
// article's paragraphs stay.
func TestArticleBodyFiltersLines(t *testing.T) {
	t.Parallel()
	text := extractReader(t, readPage(t, "jsonld_body"), "https://example.com/tram").Text
	requireKeptAndGone(t, text,
		[]string{"The first tram on the new harbour line left the central station",
			"The transport authority says the trams will run every eight minutes",
			"A spokesperson for the council said the streets would reopen before the autumn festival."},
		[]string{"Harbour bridge repainting", "Passengers boarding at the ferry terminal", "Why the night bus timetable"})
}

// A body that is a teaser (the first paragraph only) filters nothing: every paragraph of
// the article stays.
func TestArticleBodyTeaserIgnored(t *testing.T) {
	t.Parallel()
	page := readPage(t, "jsonld_body")
	page = strings.Replace(page, `\nThe transport authority says`, `"}, {"x":"The transport authority says`, 1)
	text := extractReader(t, page, "https://example.com/tram").Text
	for _, kept := range []string{"The first tram on the new harbour line",
		"The transport authority says the trams will run", "Shopkeepers along the waterfront welcomed the line",
		"Harbour bridge repainting to start next spring"} {
		require.Contains(t, text, kept)
	}
}

// Broken or hostile JSON-LD leaves the article as the extractors found it.
func TestArticleBodyMalformedJSON(t *testing.T) {
	t.Parallel()
	page := readPage(t, "jsonld_body")
	for _, bad := range []string{`{"articleBody": 12, `, `[[[[[[[[[[`, `{"articleBody":"<p>unclosed`} {
		p := strings.Replace(page, `{"@context"`, bad+`{"@context"`, 1)
		text := extractReader(t, p, "https://example.com/tram").Text
		require.Contains(t, text, "Harbour bridge repainting", bad)
		require.Contains(t, text, "The transport authority says the trams will run", bad)
	}
}
