package extract_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/extract"
	"taskrunner/domain"
)

// listingPage is a company page whose article is short and good, beside a much longer
// listing of projects: the kind of page where readability takes the listing.
func listingPage() string {
	var b strings.Builder
	b.WriteString(`<html><head><title>About the studio</title></head><body>`)
	b.WriteString(`<nav><a href="/">Home</a> <a href="/work">Work</a> <a href="/contact">Contact</a></nav>`)
	b.WriteString(`<article class="post"><h1>About the studio</h1><div class="entry-content">`)
	b.WriteString(`<p>The studio was founded in a former print shop by the river, and it has made short films, radio plays and live shows for broadcasters ever since.</p>`)
	b.WriteString(`<p>Its small team writes, shoots and edits every production in house, which keeps the budgets low, the schedules short and the ideas its own.</p>`)
	b.WriteString(`<p>Over the years the studio has won several awards for its documentaries about craftspeople, harbours and the towns along the coast.</p>`)
	b.WriteString(`</div></article><div id="projects">`)
	for i := range 60 {
		n := strconv.Itoa(i)
		b.WriteString(`<div><h4>Project ` + n + `</h4><p>Client ` + n + `, 2018, video, sound, edit</p><p>Radio play after a novel, season ` + n + `, for a broadcaster</p></div>`)
	}
	b.WriteString(`</div><footer>Imprint</footer></body></html>`)
	return b.String()
}

// When the primary article is good and the candidate is another, longer block of the
// page, the primary is kept. The page does make the candidate differ: a decision that
// always switches returns the listing.
func TestCandidateOtherBlockKeepsPrimary(t *testing.T) {
	t.Parallel()
	page := listingPage()
	in := domain.ExtractInput{HTML: page, URL: "https://studio.example/about", ReaderMode: true}
	always := extract.NewWithDecision(func(extract.SwitchFeatures) bool { return true })
	switched, err := always.Extract(context.Background(), in)
	require.NoError(t, err)
	require.Contains(t, switched.Text, "Radio play after a novel, season 30", "readability takes the listing here")

	out, err := extract.New(extract.Config{}).Extract(context.Background(), in)
	require.NoError(t, err)
	require.Contains(t, out.Text, "The studio was founded in a former print shop")
	require.Contains(t, out.Text, "won several awards for its documentaries")
	require.NotContains(t, out.Text, "Radio play after a novel")
}

// A primary of short lines only is no article, even past minArticleRunes: a candidate
// with some prose replaces it although it holds little of the primary and is prose for
// less than minCandProse of its text (an article with its kicker, byline and photo
// credits on lines of their own).
func TestCandidateReplacesPrimaryWithoutProse(t *testing.T) {
	t.Parallel()
	f := extract.SwitchFeatures{PrimaryRunes: 300, CandRunes: 2900, Contained: 0.4, CandLinkRunes: 0.1,
		PrimaryProse: 0, CandProse: 0.4}
	require.True(t, extract.Replaces(f))
	f.PrimaryProse = 0.5
	require.False(t, extract.Replaces(f), "a primary with prose keeps the old rule")
	f.PrimaryProse, f.CandProse = 0, 0.1
	require.False(t, extract.Replaces(f), "a candidate without prose is no better")
}

// The primary article is judged by the text it would give, without the lines the line
// filter drops: here the repeated title, a menu line and a copyright line make it look long
// enough to be an article (250 runes) when its own text is a teaser.
func TestPrimaryMeasuredWithoutDroppedLines(t *testing.T) {
	t.Parallel()
	title := "Council approves the new harbour bridge after a long debate"
	page := `<html><head><title>` + title + `</title></head><body><article><h1>` + title + `</h1>
<p>Home | News | Sport | Weather | Business | Contact us</p>
<p>The council voted on Tuesday to build the bridge, which will link the two quays by 2027 and carry cyclists too.</p>
<p>Copyright 2024 The Harbour Gazette. All rights reserved. No part may be copied.</p></article></body></html>`
	var got []extract.SwitchFeatures
	ex := extract.NewWithDecision(func(f extract.SwitchFeatures) bool {
		got = append(got, f)
		return false
	})
	_, err := ex.Extract(context.Background(), domain.ExtractInput{HTML: page, URL: "https://gazette.example/bridge", ReaderMode: true})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Less(t, got[0].PrimaryRunes, 150, "the title, menu and copyright lines are not counted")
}

// A candidate with a quarter of its text in links is turned down beside an article, but
// not beside a primary that is no article at all; half in links is a listing still.
func TestLinkyCandidateOverNoArticle(t *testing.T) {
	t.Parallel()
	f := extract.SwitchFeatures{PrimaryRunes: 120, CandRunes: 1500, Contained: 0.3, CandLinkRunes: 0.3,
		PrimaryProse: 0.4, CandProse: 0.8}
	require.True(t, extract.Replaces(f))
	f.PrimaryRunes = 400
	require.False(t, extract.Replaces(f), "beside an article the link share still decides")
	f.PrimaryRunes, f.CandLinkRunes = 120, 0.6
	require.False(t, extract.Replaces(f), "a candidate mostly of links is no article either")
}

// A long primary that holds the candidate and a good part more, where that rest is no
// prose (a table-laid page's menus and footer), is trimmed to the candidate; a rest of
// prose (the article's second part that readability left out), a candidate that is
// nearly the whole primary, one with words the primary lacks, and a primary that is a
// recipe's lines are not.
func TestCandidateTrimsPrimary(t *testing.T) {
	t.Parallel()
	trim := extract.SwitchFeatures{PrimaryRunes: 3000, CandRunes: 1200, Contained: 0.4, Covered: 1,
		PrimaryProse: 0.7, CandProse: 0.9, RestProse: 0.1, RestShare: 0.6}
	require.True(t, extract.Trims(trim))
	require.True(t, extract.Replaces(trim), "whatever the primary's length")
	glued := trim
	glued.RestProse, glued.RestShare = 1, 0.85
	require.True(t, extract.Trims(glued), "a primary that is one run of the page's text")
	glued.RestShare = 0.7
	require.False(t, extract.Trims(glued), "a primary with a second part of prose")
	for name, change := range map[string]func(f *extract.SwitchFeatures){
		"rest of prose":      func(f *extract.SwitchFeatures) { f.RestProse = 0.6 },
		"nearly the primary": func(f *extract.SwitchFeatures) { f.Contained = 0.9 },
		"a small part":       func(f *extract.SwitchFeatures) { f.Contained = 0.04 },
		"words of its own":   func(f *extract.SwitchFeatures) { f.Covered = 0.9 },
		"primary no prose":   func(f *extract.SwitchFeatures) { f.PrimaryProse = 0.3 },
		"no article":         func(f *extract.SwitchFeatures) { f.CandRunes = 200 },
	} {
		f := trim
		change(&f)
		require.False(t, extract.Trims(f), name)
	}
}

// The rest of a primary is its lines the candidate does not hold word for word.
func TestRestOf(t *testing.T) {
	t.Parallel()
	primary := "Home | News | Sport\n\nThe council met on Tuesday.\n\nIt approved the plan.\n\nContact us"
	require.Equal(t, "Home | News | Sport\nContact us", extract.RestOf(primary, "The council met on Tuesday. It approved the plan."))
	require.Empty(t, extract.RestOf(primary, primary))
}

// Where both extractors found the same article, the primary loses its leading and
// trailing short lines that the candidate does not hold (a kicker, a byline, a share
// line); its subheadings inside, its prose and its lines without words stay.
func TestTrimEdges(t *testing.T) {
	t.Parallel()
	lead := "The council met on Tuesday to vote on the harbour plan, which had been debated for years. " +
		"It was approved by a wide margin after a long hearing."
	primary := "NEWS | LOCAL\n\nBy Ann Lee, staff writer\n\n" + lead + "\n\nWhat comes next\n\nWork starts in May.\n\nShare\n\nComments (3)"
	cand := lead + "\n\nWork starts in May."
	require.Equal(t, lead+"\n\nWhat comes next\n\nWork starts in May.", extract.TrimEdges(primary, cand))
	long := strings.Repeat("A closing paragraph that readability left out of its article, but is prose. ", 3)
	require.Equal(t, lead+"\n\n"+long, extract.TrimEdges(lead+"\n\n"+long, lead), "prose stays")
	require.Equal(t, lead+"\n\n=)", extract.TrimEdges(lead+"\n\n=)", lead), "a line without words stays")
	require.Equal(t, primary, extract.TrimEdges(primary, "Something else entirely"), "nothing held")

	f := extract.SwitchFeatures{PrimaryRunes: 2000, CandRunes: 1900, Contained: 0.9, Covered: 0.98}
	require.True(t, extract.SameArticle(f))
	require.False(t, extract.Trims(f))
	f.Contained = 0.7
	require.False(t, extract.SameArticle(f), "a candidate that is a part of the primary")
	f.Contained, f.Covered = 0.9, 0.9
	require.False(t, extract.SameArticle(f), "a candidate with words of its own")
}
