package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

// commentCutPage is an old news template: the story's paragraphs, a table whose last
// column is headed "Comment", then a notice and the readers' comments as bare paragraphs
// in the same container, under no name the DOM passes know. The table comes after
// enough prose for an opener to count there.
func commentCutPage() string {
	para := func(s string) string {
		return "<p>" + s + " The harbour board met again on Thursday to weigh the cost of the new sea wall, the timing of the works and the closure of the road along the front for most of the summer.</p>\n"
	}
	var b strings.Builder
	b.WriteString(`<html><head><title>Sea wall plan approved</title></head><body><div class="story">
<h1>Sea wall plan approved</h1>`)
	b.WriteString(para("The council approved the sea wall plan after a long debate."))
	b.WriteString(para("Residents of the harbour front asked for the market to stay open."))
	b.WriteString(para("The contractor will start in March, as the board's engineers advised."))
	b.WriteString(`<table><tr><td><p><b>Phase</b></p></td><td><p><b>Months</b></p></td><td><p><b>Comment</b></p></td></tr>
<tr><td>Foundations</td><td>March to May</td><td>Road closed at night</td></tr>
<tr><td>Wall</td><td>June to August</td><td>Market moves to the square</td></tr></table>`)
	b.WriteString(para("The works are due to finish before the autumn storms arrive."))
	b.WriteString("<p><b>Comments are now closed for this story</b></p>\n")
	b.WriteString(para("Reader Bob: the wall is a waste of money and nobody asked the fishermen."))
	b.WriteString(para("Reader Ann: at last, after the floods of the last three winters we need it."))
	b.WriteString(`</div></body></html>`)
	return b.String()
}

// The comments after a notice go; the table's "Comment" column heading is no notice, so
// the table and the paragraph after it stay.
func TestCommentSectionCut(t *testing.T) {
	t.Parallel()
	text := extractReader(t, commentCutPage(), "https://example.com/news/sea-wall").Text
	requireKeptAndGone(t, text,
		[]string{"The council approved the sea wall plan", "Residents of the harbour front",
			"Market moves to the square", "The works are due to finish before the autumn storms"},
		[]string{"Comments are now closed", "Reader Bob", "Reader Ann"})
}

func TestDropCommentSection(t *testing.T) {
	t.Parallel()
	long := "The council approved the plan after a long debate about the cost of the new sea wall and the timing of the works along the harbour front, which will close the road for most of the summer and move the market to the square behind the church until the autumn."
	story := long + "\n\n" + long + "\n\n" + long
	thread := "\n\nBob: a waste of money.\n\nAnn: at last."
	for _, opener := range []string{"Comments", "12 Comments", "Comments (3)", "Reader views (5)",
		"Comments are now closed for this story", "Comments from Examiner Readers", "Post a comment:",
		"Add your comment", "No comments have so far been submitted. Why not be the first to send us your thoughts?",
		"Kommentare"} {
		require.Equal(t, story, extract.DropCommentSection(story+"\n\n"+opener+thread, nil), opener)
	}
	for _, c := range []struct{ name, in string }{
		{"too little prose before the opener", long + "\n\nComments" + thread},
		{"a paragraph that starts with the word", story + "\n\nComments from the minister were expected on Monday, after the vote."},
		{"an opinion column's label", story + "\n\nCommentary" + thread},
		{"no comment notice", story + "\n\nNo comments were made by the minister during the hearing." + thread},
	} {
		require.Equal(t, c.in, extract.DropCommentSection(c.in, nil), c.name)
	}
	// A table's column heading is no opener.
	in := story + "\n\nComment\n\nRoad closed at night" + thread
	require.Equal(t, in, extract.DropCommentSection(in, map[string]bool{"comment": true}))
}
