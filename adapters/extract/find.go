package extract

import "golang.org/x/net/html"

// findWithin walks n's descendants depth first, not entering those skip reports (skip may
// be nil), and reports whether match holds for one of them. The walk visits at most
// maxMeasureNodes nodes; exhausted says it stopped there without an answer, which each
// caller reads in the safe direction for its own question.
func findWithin(n *html.Node, skip, match func(*html.Node) bool) (found, exhausted bool) {
	nodes := 0
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if nodes++; nodes > maxMeasureNodes {
				exhausted = true
				return false
			}
			if skip != nil && skip(c) {
				continue
			}
			if match(c) || walk(c) {
				return true
			}
			if exhausted {
				return false
			}
		}
		return false
	}
	return walk(n), exhausted
}

// takeElements walks the element descendants of n depth first and returns those take
// reports, in document order; it does not enter an element it took, nor one enter
// rejects. The passes that remove or replace blocks (prune, unwrapNoscripts) collect with
// it and change the tree after the walk, so the walk never sees a tree being changed.
func takeElements(n *html.Node, take, enter func(*html.Node) bool) []*html.Node {
	var taken []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type != html.ElementNode:
			case take(c):
				taken = append(taken, c)
			case enter(c):
				walk(c)
			}
		}
	}
	walk(n)
	return taken
}
