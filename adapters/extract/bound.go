package extract

import (
	"context"
	"strings"

	"golang.org/x/net/html"
)

// maxParseNodes bounds what reaches the HTML parser, counted as the nodes it would build
// (start tags, text runs, comments, doctypes) plus their attributes. The parse cannot be
// interrupted and costs about 130 bytes per node, so the node count, not the byte size,
// is what makes a page expensive: 24 MB of "<p>x" is 12 million nodes, 1.5 GB of tree and
// 8 s of parsing, while 24 MB of prose is a few thousand nodes. 300,000 nodes is about
// 40 MB of tree and a quarter of a second; ordinary pages stay far below it (the largest
// of go-trafilatura's 945 comparison pages has about 10,000 elements) and a page beyond
// it is read up to the node that reaches it, the rest dropped (Extracted.Truncated).
const maxParseNodes = 300_000

// ctxCheckEvery is how many tokens the pre-scan reads between context checks.
const ctxCheckEvery = 16_384

// boundInput returns the part of page the parser may read: all of it when it holds at most
// maxParseNodes nodes, else the bytes before the token that passes the bound (the parser
// closes whatever that leaves open). The scan is the tokenizer alone, which keeps only
// the current token, so it costs a fraction of a parse and a few kilobytes. It stops
// with ctx's error when ctx ends.
//
// Every node counted takes at least one byte of its own (a text run or comment is never
// empty, a tag starts with "<", an attribute has a name), so a page of at most
// maxParseNodes bytes is within the bound without a scan: most pages are.
func boundInput(ctx context.Context, page string) (prefix string, truncated bool, err error) {
	if len(page) <= maxParseNodes {
		return page, false, nil
	}
	z := html.NewTokenizer(strings.NewReader(page))
	nodes, offset := 0, 0
	for tokens := 1; ; tokens++ {
		if tokens%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return "", false, err
			}
		}
		tt := z.Next()
		if tt == html.ErrorToken { // io.EOF: a strings.Reader has no other error
			return page, false, nil
		}
		size := len(z.Raw())
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			nodes++
			for _, more := z.TagName(); more; {
				_, _, more = z.TagAttr()
				nodes++
			}
		case html.TextToken, html.CommentToken, html.DoctypeToken:
			nodes++
		}
		if nodes > maxParseNodes {
			return page[:offset], true, nil
		}
		offset += size
	}
}
