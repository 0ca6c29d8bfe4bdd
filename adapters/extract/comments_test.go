package extract_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

// Reader comments set in the article's container under names trafilatura does not know
// (a Movable Type template's "comments-body" blocks after the post, as on the L3S news
// page e906b620, where a long thread outweighs the post) are not the article.
func TestCommentThreadInsideArticleDropped(t *testing.T) {
	body := strings.Repeat("The council voted on the barrier after a long debate about its cost and its design. ", 6)
	var thread strings.Builder
	for i := range 12 {
		fmt.Fprintf(&thread, `<div class="comments-body"><b>%d.</b> I have lived by the harbour for thirty years and never seen the water this high.</p>
<p>The barrier will cost less than one more winter of flooding, and the council should have voted for it years ago.</p>
<span class="comments-post">Posted by: <a href="mailto:r%d@example.com">Reader %d</a> on December 29, 2007 01:15 PM</span></div>
`, i+1, i, i)
	}
	page := `<html><body><div id="content"><div class="blog"><h2 class="date">December 29, 2007</h2>
<div class="blogbody"><h3 class="title">Flood barrier approved</h3>
<p>` + body + `</p><p>` + body + `</p>
<span class="posted">Posted by Eric at December 29, 2007 12:03 PM</span><br /></div>
<div class="comments-head"><a name="comments"></a>Comments</div>
` + thread.String() + `</div></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The council voted")
	for _, gone := range []string{"thirty years", "Posted by: Reader", "one more winter"} {
		require.NotContains(t, text, gone)
	}
}

// An article whose container is named for its comments, or an opinion column named
// "commentary", stays.
func TestCommentNamesKeepArticle(t *testing.T) {
	body := strings.Repeat("Residents will see the final designs at a public exhibition in the library. ", 8)
	for _, page := range []string{
		`<html><body><div class="post has-comments"><p>` + body + `</p></div><div class="comments"><p>No comments yet.</p></div></body></html>`,
		`<html><body><div class="comments-on"><h1>Flood barrier</h1><p>` + body + `</p></div><div class="comments"><p>No comments yet.</p></div></body></html>`,
		`<html><body><div class="commentary"><p>` + body + `</p></div><div class="commentary-footer"><p>` + body + `</p></div></body></html>`,
	} {
		require.Contains(t, extractReader(t, page, "").Text, "Residents will see the final designs")
	}
}

// A comment form's parts, which WordPress lays out as a run of siblings named
// "comment-form-…", are no thread: dropping them made go-trafilatura's comparison page
// gnaur.wordpress.com fall back to the whole page's text.
func TestCommentFormIsNoThread(t *testing.T) {
	for _, name := range []string{"comment-form-guest", "commentform", "comments-form", "comment-respond", "comment-reply-title"} {
		require.False(t, extract.CommentNamed(name), name)
	}
	for _, name := range []string{"comment-1034", "comments-body", "commententry", "comment"} {
		require.True(t, extract.CommentNamed(name), name)
	}
	require.False(t, extract.CommentNamed("commentary"))
}

// Drupal names each comment by a later class ("clear-block comment comment-by-anonymous
// odd"): the thread goes, as on readability's test page aclu, whose long thread sat in
// the article's pane.
func TestCommentNamedByLaterClass(t *testing.T) {
	body := strings.Repeat("The agency must tell people when it searches their records, the court ruled on Monday. ", 6)
	var thread strings.Builder
	for i := range 10 {
		fmt.Fprintf(&thread, `<div class="clear-block comment comment-by-anonymous odd"><div class="comment-content"><div class="content">
<p>Reader %d: I have written to my representative twice about this and never had an answer from the office.</p>
<p>Cookies are only part of it; the collection of every click is the real problem here.</p></div></div></div>
`, i)
	}
	page := `<html><body><div id="main"><div class="content-column"><h1>Court rules on records</h1><p>` + body + `</p><p>` + body + `</p>
<div class="comments comment-wrapper"><div class="content"><div id="comments">` + thread.String() + `</div></div></div></div></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The agency must tell people")
	require.NotContains(t, text, "written to my representative")
	require.True(t, extract.CommentNamed("clear-block comment comment-by-anonymous odd"))
	require.False(t, extract.CommentNamed("post has-comments"))
}
