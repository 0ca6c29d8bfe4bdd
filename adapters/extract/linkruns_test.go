package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

func TestDropLinkRuns(t *testing.T) {
	t.Parallel()
	p1 := "The harbour board voted on Tuesday night to rebuild the north wall of the old dock, ending a dispute that has run for three winters and split the town between the fishermen who use the dock and the traders on the quay who feared the cost."
	p2 := "Work will begin in March and is expected to take eighteen months. The board's engineer told the meeting that the wall had moved by almost a hand's width since the storm of January, and that the dock would otherwise have to close within two years."
	p3 := "The cost, put at four million pounds, will be met by a loan from the council and a grant from the coastal fund. Mooring fees will rise by a tenth from next April, less than the fishermen had feared, and the traders' levy will stay as it is."
	links := []string{"Home", "Ferry Times", "Harbour Webcam", "Sailing Club", "Harbour News", "Council News", "December 2007", "November 2007", "October 2007", "September 2007"}
	menu := "Home\nFerry Times\nHarbour Webcam\nSailing Club"
	lines := func(ls ...string) string { return strings.Join(ls, "\n\n") }
	for _, c := range []struct{ name, in, want string }{
		{"a menu before the article and an archive after it go",
			lines(menu, p1, p2, p3, "December 2007\nNovember 2007\nOctober 2007\nSeptember 2007"), lines(p1, p2, p3)},
		{"a count after a link's text, and blank lines between links, still make a run",
			lines(p1, p2, p3, "Harbour News (14)", "Council News (8)", "Ferry Times", "Home"), lines(p1, p2, p3)},
		{"a list of links between the article's paragraphs is the article's",
			lines(p1, menu, p2, p3), lines(p1, menu, p2, p3)},
		{"three links in a row are not a list",
			lines(p1, p2, p3, "Home\nFerry Times\nSailing Club"), lines(p1, p2, p3, "Home\nFerry Times\nSailing Club")},
		{"a short line that is no link's text breaks the run",
			lines(p1, p2, p3, "Home\nFerry Times\nBy our harbour reporter\nSailing Club\nHarbour News"),
			lines(p1, p2, p3, "Home\nFerry Times\nBy our harbour reporter\nSailing Club\nHarbour News")},
		{"a page with too little prose besides its links keeps them",
			lines(menu, p1), lines(menu, p1)},
	} {
		require.Equal(t, c.want, extract.DropLinkRuns(c.in, links), c.name)
	}
}
