package extract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// boilerLinePage is a short news page whose article container holds, between its
// paragraphs, one line of the kind named: the extractors keep such lines because no class
// name marks them.
func boilerLinePage(line string) string {
	body := strings.Repeat("The ferry operator said the new timetable adds two crossings a day and keeps the night service, which commuters had asked for. ", 4)
	return `<html><body><article><h1>Ferry timetable changes</h1><p>` + body + `</p><p>` + line + `</p><p>` +
		body + `</p><p>Passengers can buy tickets on board until the end of the year.</p></article></body></html>`
}

// Ad labels, photo credits, author bios and sign-up prompts are dropped as lines; the
// article's own sentences that merely use their words stay.
func TestBoilerplateLinesDropped(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, line string }{
		{"ad label alone", "Advertisement"},
		{"sponsored line", "Sponsored: Try our meal kits free for two weeks. Order now and save 50 percent."},
		{"german ad label", "Anzeige"},
		{"caption with credit", "The old pier before the works began. Photo: Staff photographer"},
		{"image courtesy", "The harbour in 1950. Image courtesy of the local history society"},
		{"author bio", "About the author: Danny Iwu is a freelance journalist and the editor of a small quarterly magazine."},
		{"subscribe prompt", "This article appears in the Spring 2024 issue. Subscribe to the print edition."},
		{"newsletter prompt", "Never miss a story from the coast by signing up to our newsletter today!"},
		{"affiliate disclosure", "This post contains affiliate links. We may earn a commission when you buy through them."},
		{"letters call", "We want to hear what you think about this article. Submit a letter to the editor."},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			text := extractReader(t, boilerLinePage(c.line), "https://example.com/ferry").Text
			require.Contains(t, text, "The ferry operator said")
			require.Contains(t, text, "Passengers can buy tickets on board")
			require.NotContains(t, text, c.line)
		})
	}
	for _, c := range []struct{ name, line string }{
		{"sentence about ads", "Advertisement revenue at the operator fell by a tenth last year, the annual report says."},
		{"sentence about photos", "The photo club will show its pictures of the old ferries in the terminal."},
		{"subscribe in a sentence", "Commuters who subscribe to the monthly pass pay less than half the single fare."},
		{"newsletter in a sentence", "The operator's newsletter, first printed in 1962, now reaches forty thousand homes."},
	} {
		t.Run("kept: "+c.name, func(t *testing.T) {
			t.Parallel()
			text := extractReader(t, boilerLinePage(c.line), "https://example.com/ferry").Text
			require.Contains(t, text, c.line)
		})
	}
}

// A menu written as one line of text in the article's container (a footer's links, a
// share bar) is dropped; lines that merely hold a "|" or a "·" stay.
func TestMenuLinesDropped(t *testing.T) {
	t.Parallel()
	requireLinesDropped(t,
		"Top | Back | E-mail to a friend | Printable version",
		"About us | Contact us | Forgotten your password? | Advertising | Press office | Archive",
		"Home · Weather · News · Morning Show · Sports",
	)
	requireLinesKept(t,
		"Fares rise on 1 May | Season tickets keep their price",
		"The night crossings run at 23:00 | 01:00 | 03:00 | 05:00 from the north pier, the operator said.",
		"Stops: Harbour Road · Old Pier · Marina · North Quay · Lighthouse Point on the long coastal route, with tickets sold on board.",
	)
}

// requireLinesDropped checks, a subtest each, that the article of boilerLinePage(line)
// keeps its own text and leaves line out.
func requireLinesDropped(t *testing.T, lines ...string) {
	t.Helper()
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			text := extractReader(t, boilerLinePage(line), "https://example.com/ferry").Text
			require.Contains(t, text, "Passengers can buy tickets on board")
			require.NotContains(t, text, line)
		})
	}
}

// requireLinesKept checks, a subtest each, that the article of boilerLinePage(line) keeps
// line.
func requireLinesKept(t *testing.T, lines ...string) {
	t.Helper()
	for _, line := range lines {
		t.Run("kept: "+line, func(t *testing.T) {
			t.Parallel()
			text := extractReader(t, boilerLinePage(line), "https://example.com/ferry").Text
			require.Contains(t, text, line)
		})
	}
}

// A short footer line that holds a copyright mark after the site's name is dropped; a
// sentence of the article that names a copyright stays.
func TestCopyrightMarkInsideLine(t *testing.T) {
	t.Parallel()
	requireLinesDropped(t,
		"Gray Television Group, Inc. - Copyright © 2002-2008 - Designed and Powered by Clickability",
		"The Daily News, 1601 Lower Water Street. Contents of this website are copyright © The Daily News",
		"Harbour Gazette | copyright 2024 | Privacy",
	)
	requireLinesKept(t, "The operator says the timetable's design is under copyright and may not be copied by rival firms.")
}
