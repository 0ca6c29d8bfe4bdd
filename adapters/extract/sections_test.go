package extract_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

// A "You Might Also Like" list ending the article goes; a "Related" box in the middle
// of the article goes with its headline, and the paragraphs after it stay.
func TestRelatedSectionsDropped(t *testing.T) {
	t.Parallel()
	text := extractReader(t, readPage(t, "related_section"), "https://example.com/keeper").Text
	requireKeptAndGone(t, text,
		[]string{"For thirty-one years Agnes Morrow climbed", "The worst storm in the logbook came in the January",
			"The visitor centre will open in May and will show the logbooks"},
		[]string{"You Might Also Like", "Seal pups counted", "A winter walk along the cliff path"})
}

func TestDropSections(t *testing.T) {
	t.Parallel()
	long := "The council approved the plan after a long debate about the cost of the new sea wall and the timing of the works along the harbour front, which will close the road for most of the summer and move the market to the square behind the church until the autumn."
	cells := map[string]bool{"comments": true} // the page's table has a "Comments" column
	for _, c := range []struct{ in, want string }{
		// A heading in the first half stays: it is a kicker or the article's own.
		{"Related\n\n" + long, "Related\n\n" + long},
		// At the end, the heading and the headlines after it go.
		{long + "\n\n" + long + "\n\nMore from Opinion\n\nOne headline\nAnother headline", long + "\n\n" + long},
		// Before a paragraph of prose, only the heading and its short lines go.
		{long + "\n\n" + long + "\n\nLesen Sie auch:\nA headline\n\n" + long, long + "\n\n" + long + "\n\n" + long},
		// A recommendation box's heading and its teasers go too.
		{long + "\n\n" + long + "\n\nAround the Web\n\nOne teaser\nAnother teaser", long + "\n\n" + long},
		{long + "\n\n" + long + "\n\nSponsored Stories:\nOne teaser", long + "\n\n" + long},
		// A table's column heading stays, with the rows after it.
		{long + "\n\n" + long + "\n\nComments\nRoad closed", long + "\n\n" + long + "\n\nComments\nRoad closed"},
		// A paragraph that starts with the words is no heading.
		{long + "\n\nRelated developments followed on Monday.", long + "\n\nRelated developments followed on Monday."},
	} {
		require.Equal(t, c.want, extract.DropSections(c.in, cells), c.in)
	}
}
