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
