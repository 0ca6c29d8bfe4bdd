package extract

import "golang.org/x/net/html"

// MaxParseNodes exposes the parser's input bound to the tests.
const MaxParseNodes = maxParseNodes

// RenderText lets the external tests build the comparison variants that render a library's
// content node the way this package does.
var RenderText = renderText

// Doubtful, Replaces, Trims and RestOf expose the candidate decision to the tests.
var (
	Doubtful = doubtful
	Replaces = replaces
	Trims    = trims
	RestOf   = restOf
	// TrimEdges and SameArticle expose the edge trimming to the tests.
	TrimEdges   = trimEdges
	SameArticle = sameArticle
)

// SwitchFeatures are the features the candidate decision is made on.
type SwitchFeatures = switchFeatures

// NewWithDecision returns an Extractor whose candidate decision is decide, for the
// evaluation tools that record the features or try other decisions.
func NewWithDecision(decide func(SwitchFeatures) bool) *Extractor {
	e := New(Config{})
	e.decide = decide
	return e
}

// TrimTail exposes the tail trimming to the tests.
var TrimTail = trimTail

// DropLines exposes the line filter to the tests.
var DropLines = dropLines

// NewWithout returns an Extractor that leaves out the named passes, for the evaluation
// tools that weigh each one.
func NewWithout(names ...string) *Extractor {
	e := New(Config{})
	flags := map[string]*bool{"noscript": &e.skip.noscript, "comments": &e.skip.comments,
		"prune": &e.skip.prune, "paragraphs": &e.skip.paragraphs, "inline": &e.skip.inline,
		"lede": &e.skip.lede, "jsonld": &e.skip.jsonld, "lines": &e.skip.lines,
		"sections": &e.skip.sections, "commentcut": &e.skip.commentcut, "linkruns": &e.skip.linkruns, "tail": &e.skip.tail}
	for _, n := range names {
		f, ok := flags[n]
		if !ok {
			panic("extract: no pass " + n)
		}
		*f = true
	}
	return e
}

// DropSections exposes the removal of related-story sections to the tests.
func DropSections(text string, cells map[string]bool) string {
	return dropSections(text, &pageTexts{texts: cells, key: cellKey, done: true})
}

// CommentNamed reports whether a class or id value names a comment thread's entry.
func CommentNamed(name string) bool {
	return commentNamed(&html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: name}}})
}

// DropCommentSection exposes the cut at a comment opener to the tests.
func DropCommentSection(text string, cells map[string]bool) string {
	return dropCommentSection(text, &pageTexts{texts: cells, key: cellKey, done: true})
}

// DropLinkRuns exposes the removal of runs of link lines to the tests; links are the
// texts of the page's links.
func DropLinkRuns(text string, links []string) string {
	l := &pageTexts{texts: map[string]bool{}, key: linkKey, done: true}
	for _, s := range links {
		l.texts[linkKey(s)] = true
	}
	return dropLinkRuns(text, l)
}
