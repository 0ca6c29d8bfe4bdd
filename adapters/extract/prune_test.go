package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
)

func TestPruneBoilerplateInsideArticle(t *testing.T) {
	body := strings.Repeat("The council voted on the barrier after a long debate about its cost and its design. ", 6)
	page := `<html><body><article><h1>Flood barrier approved</h1>
<p>` + body + `</p>
<div class="ad-slot"><p>Sponsored: meal kits free for two weeks.</p></div>
<div class="box"><h4>Never miss a post</h4><p>Join our readers by email.</p><form><input type="email"></form></div>
<p>` + body + `</p>
<div class="post-share"><a href="#">Facebook</a> <a href="#">Email</a></div>
<div class="media"><img src="/a.jpg"><div class="photo-credit">The embankment in 2019. Photo: archive</div></div>
<p>Read more: <a href="/x">Why the harbour wall keeps cracking</a></p>
<p>` + body + `</p>
<div class="about-author"><p>Maria writes about cities.</p></div>
<p>Copyright 2024 The Harbor Times. All rights reserved.</p>
</article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The council voted")
	for _, gone := range []string{"Flood barrier approved", "Sponsored", "Never miss a post", "Facebook",
		"The embankment in 2019", "Read more", "Maria writes", "Copyright"} {
		require.NotContains(t, text, gone)
	}
}

func TestPruneKeepsLongBlocksWhateverTheirName(t *testing.T) {
	// A wrapper named like boilerplate but holding the article stays.
	body := strings.Repeat("Residents will see the final designs at a public exhibition in the library. ", 12)
	page := `<html><body><div class="social-wrapper ad-container"><article><p>` + body + `</p><p>` + body +
		`</p></article><form><input type="email"></form></div></body></html>`
	text := extractReader(t, page, "").Text
	require.Contains(t, text, "Residents will see the final designs")
}

func TestDropLines(t *testing.T) {
	for _, c := range []struct{ in, title, want string }{
		{"Flood Barrier\n\nBody text.", "Flood barrier", "Body text."},
		{"Body.\n\nRead more: Another story\n\nMore body.", "", "Body.\n\nMore body."},
		{"Body.\nRELATED Another story", "", "Body."},
		{"Body.\nMore than 300 people came.", "", "Body.\nMore than 300 people came."},
		{"Related developments followed: the vote.", "", "Related developments followed: the vote."},
		{"Body.\n© 2024 Example Media", "", "Body."},
		{"Body.\n\nLesen Sie auch: Neue Brücke für den Hafen\n\nMore body.", "", "Body.\n\nMore body."},
		{"Body.\n\nÀ lire aussi » Le port rouvre ses quais\n\nMore body.", "", "Body.\n\nMore body."},
		{"Body.\n\nCzytaj też: Nowy most w porcie", "", "Body."},
		{"Body.\n\nDas Team beim Start. Titelbild: Hafenamt", "", "Body."},
		{"March 13, 2015\n\nBody.", "", "Body."},
		{"Kicker\nFlood Barrier\n\nBody text.", "Flood barrier", "Kicker\n\nBody text."},
		{"Body.\n06.01.2022\nMore body.", "", "Body.\nMore body."},
		{"Updated: 2/26/2015 7:11 AM PST\nBody.", "", "Body."},
		{"20. März 2021 - 15:00 Uhr\nBody.", "", "Body."},
		{"On March 13, 2015 the council met.", "", "On March 13, 2015 the council met."},
		{"Siehe auch die Tabelle unten, die alle Termine zeigt.", "", "Siehe auch die Tabelle unten, die alle Termine zeigt."},
		{"Body mentions the title Flood Barrier.", "Flood Barrier", "Body mentions the title Flood Barrier."},
	} {
		require.Equal(t, c.want, extract.DropLines(c.in, c.title), c.in)
	}
}

func TestPruneHiddenBlocks(t *testing.T) {
	// Inside the article: a hidden drop-down of links and a hidden notice.
	body := strings.Repeat("The ferry will run every hour from May, the operator said on Monday at the harbour. ", 5)
	var menu strings.Builder
	for _, s := range []string{"Northern rivers", "Southern coast", "Western plains", "Eastern hills", "Capital region"} {
		menu.WriteString(`<li><a href="/r">` + s + ` weather, traffic and local news for the whole area</a></li>`)
	}
	page := `<html><body><article><h1>Ferry timetable</h1><p>` + body + `</p>
<ul style="visibility: hidden">` + menu.String() + `</ul>
<div hidden><p>Your comment is waiting for moderation. Thank you.</p></div>
<p>` + body + `</p></article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The ferry will run")
	require.NotContains(t, text, "Northern rivers")
	require.NotContains(t, text, "waiting for moderation")
}

func TestPruneBlocksHiddenByClass(t *testing.T) {
	// The classes that hide by the site's CSS: a screen-reader label and a teaser hidden
	// for the page's own script. A class that hides on small screens only stays.
	body := strings.Repeat("The library reopens on Saturday with a larger reading room and a new children's floor. ", 5)
	page := `<html><body><article><h1>Library reopens</h1><p>` + body + `</p>
<div class="teaser hidden"><p>Read the full story in our weekend edition, out now.</p></div>
<p>` + body + `<span class="screen-reader-text">Opens in a new window</span></p>
<div class="hidden-xs"><p>The mayor will cut the ribbon at ten.</p></div>
<p>` + body + `</p></article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The library reopens")
	require.NotContains(t, text, "weekend edition")
	require.NotContains(t, text, "Opens in a new window")
	require.Contains(t, text, "The mayor will cut the ribbon")
}

func TestPruneBlocksByRole(t *testing.T) {
	// A breadcrumb and a related box inside the article, named only by their ARIA roles.
	body := strings.Repeat("The orchard's first harvest since the storm was smaller but sweeter, the growers said. ", 5)
	page := `<html><body><article><h1>Orchard harvest</h1>
<div role="navigation"><a href="/">Start</a> › <a href="/food">Food and farming</a> › <a href="/food/fruit">Fruit growers</a></div>
<p>` + body + `</p><div role="complementary"><h4>More on this</h4><p>Cider makers expect a short season.</p></div>
<p>` + body + `</p></article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The orchard's first harvest")
	require.NotContains(t, text, "Fruit growers")
	require.NotContains(t, text, "Cider makers")
}

func TestPruneTagLine(t *testing.T) {
	// A blog post's dateline and tags, the tag links marked rel="tag", above the post's text (a
	// WordPress theme's "post-info" line); a paragraph linking elsewhere stays.
	body := strings.Repeat("We walked the coastal path from the lighthouse to the old fort in under three hours. ", 5)
	page := `<html><body><div id="main"><div class="post" id="post-107"><h1>Coastal walk</h1>
<p class="post-info">Published: May 3rd, 2012 | Tags: <a href="/t/coast" rel="tag">Coast Walks</a>, <a href="/t/forts" rel="tag">Old Forts</a>, <a href="/t/light" rel="tag">Lighthouses</a>, <a href="/t/cliffs" rel="tag">Northern Cliffs</a>, <a href="/t/bays" rel="tag">Hidden Bays</a>, <a href="/t/spring" rel="tag">Spring Hikes</a></p>
<p>` + body + `</p><p>More walks: <a href="/walks/north">the northern cliffs</a> and the bay.</p><p>` + body + `</p>
</div></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "We walked the coastal path")
	require.Contains(t, text, "the northern cliffs")
	require.NotContains(t, text, "Old Forts")
}

func TestPruneSideRail(t *testing.T) {
	// A blog template sets its side column ("right-rail") inside the container that also
	// holds the post: the column's about box and links are not the post. A main column
	// named a rail too ("leftRail article") is the post and stays.
	body := strings.Repeat("The committee met on Monday to agree the budget for the coming year and its new rules. ", 5)
	page := `<html><body><div class="page"><div class="col-main"><h1>Budget agreed</h1><p>` + body + `</p><p>` + body + `</p></div>
<div class="col-side"><div id="right-rail" class="module right-rail"><h3>About this blog</h3>
<p>The Brussels blog is written by our bureau, which has covered the institutions since 2009.</p>
<ul><li><a href="/a">Earlier: ministers meet</a></li><li><a href="/b">Week ahead</a></li></ul></div></div></div></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The committee met on Monday")
	require.NotContains(t, text, "About this blog")
	require.NotContains(t, text, "written by our bureau")

	main := `<html><body><div id="leftRail" class="fleft article"><div class="body"><p>` + body + `</p><p>` + body +
		`</p></div></div><div class="aside"><p>Sign in</p></div></body></html>`
	require.Contains(t, extractReader(t, main, "https://example.com/b").Text, "The committee met on Monday")
}

func TestPruneNoticesTocAndAuthorBox(t *testing.T) {
	// Inside the post: an affiliate disclosure, a table of contents and an author box
	// written by a plugin. None is the post.
	body := strings.Repeat("The new timetable adds two crossings a day and keeps the night service that commuters asked for. ", 5)
	page := `<html><body><article><h1>Ferry timetable changes</h1>
<section class="editorial-disclosure"><p>This post contains references to products from our advertisers. We may receive compensation when you click on links.</p></section>
<div class="toc_container"><p class="toc_title">Contents</p><ul class="toc_list"><li><a href="#a">What changes</a></li><li><a href="#b">Night service</a></li></ul></div>
<h2 id="a">What changes</h2><p>` + body + `</p><h2 id="b">Night service</h2><p>` + body + `</p>
<div class="saboxplugin-wrap"><div class="saboxplugin-desc"><p>Anna writes about the coast and its boats for the local paper.</p></div></div>
</article></body></html>`
	text := extractReader(t, page, "https://example.com/a").Text
	require.Contains(t, text, "The new timetable adds two crossings")
	for _, gone := range []string{"receive compensation", "Contents", "Anna writes about the coast"} {
		require.NotContains(t, text, gone)
	}
}
