package markdown

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/go-shiori/go-readability"
	"golang.org/x/net/html"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Bounds of one rendering besides maxNodes: the markdown stops at maxMarkdownBytes and the
// link list at MaxLinks.
const (
	maxMarkdownBytes = 8 << 20
	// maxArticleElements: past it the article finder is skipped and the body rendered;
	// its cost grows faster than the page's (the extractor's bound too).
	maxArticleElements = 50_000
	// MaxLinks is how many links a fetch_links artifact lists at most.
	MaxLinks = 5000
	// minArticleRunes: a shorter "article" is taken for no article (the extractor's rule).
	minArticleRunes = 250
)

// Renderer implements ports.PageRenderer. It is safe for concurrent use.
type Renderer struct {
	conv *converter.Converter
}

var _ ports.PageRenderer = (*Renderer)(nil)

// New returns a Renderer whose markdown is CommonMark with GFM tables: ATX headings, "-"
// bullets, fenced code blocks.
func New() *Renderer {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(
			commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
			commonmark.WithBulletListMarker("-"),
			commonmark.WithCodeBlockFence("```"),
			commonmark.WithEmDelimiter("*"),
			commonmark.WithStrongDelimiter("**"),
		),
		table.NewTablePlugin(table.WithHeaderPromotion(true), table.WithSpanCellBehavior(table.SpanBehaviorMirror)),
	))
	return &Renderer{conv: conv}
}

// Render implements ports.PageRenderer. One tokenizer pass finds the metadata and the
// part of the page within maxNodes; the tree is built only for markdown or links.
func (r *Renderer) Render(ctx context.Context, in domain.RenderInput) (out domain.Rendered, err error) {
	if err := ctx.Err(); err != nil {
		return domain.Rendered{}, err
	}
	cut, facts, err := scan(ctx, in.HTML)
	if err != nil {
		return domain.Rendered{}, err
	}
	page := in.HTML[:cut]
	out.Truncated = cut < len(in.HTML)
	base := baseURL(facts.baseHref, in.URL)
	out.Meta = pageMeta(facts, base)
	if !in.Markdown && !in.Links {
		return out, nil
	}
	doc, perr := html.Parse(strings.NewReader(page))
	if perr != nil { // nesting deeper than the parser accepts: nothing structured to render
		out.Markdown, out.Links = strings.TrimSpace(page), []domain.PageLink{}
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return domain.Rendered{}, err
	}
	if in.Links {
		var cutLinks bool
		out.Links, cutLinks = pageLinks(doc, base, in.URL)
		out.Truncated = out.Truncated || cutLinks
	}
	if in.Markdown {
		md, truncated, err := r.markdown(ctx, doc, base, in, facts.elements <= maxArticleElements)
		if err != nil {
			return domain.Rendered{}, err
		}
		out.Markdown, out.Truncated = md, out.Truncated || truncated
	}
	return out, nil
}

// markdown renders the article (reader mode, when one is found) or the page's body.
func (r *Renderer) markdown(ctx context.Context, doc *html.Node, base *url.URL, in domain.RenderInput, findArticle bool) (md string, truncated bool, err error) {
	var root *html.Node
	title := ""
	if in.ReaderMode && findArticle {
		root, title = article(doc, base)
	}
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	if root == nil {
		root = bodyOf(doc)
		dropInvisible(root)
	}
	absolutize(root, base)
	b, cerr := r.convert(ctx, root)
	if cerr != nil {
		if ctx.Err() != nil {
			return "", false, ctx.Err()
		}
		return "", false, cerr
	}
	md = strings.TrimSpace(string(b))
	if title != "" && !strings.HasPrefix(md, "# ") {
		md = "# " + escapeHeading(title) + "\n\n" + md
	}
	if len(md) > maxMarkdownBytes {
		md = cutAtLine(md, maxMarkdownBytes)
		truncated = true
	}
	return md + "\n", truncated, nil
}

// convert runs the converter, turning a library panic into an error: the converter runs
// on pages from anywhere.
func (r *Renderer) convert(ctx context.Context, root *html.Node) (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("markdown converter panicked: %v", p)
		}
	}()
	return r.conv.ConvertNode(root, converter.WithContext(ctx))
}

// article finds the main content with readability; nil when there is none of
// minArticleRunes. The node is readability's copy, free to change.
func article(doc *html.Node, base *url.URL) (node *html.Node, title string) {
	defer func() {
		if recover() != nil {
			node, title = nil, ""
		}
	}()
	art, err := readability.FromDocument(doc, base)
	if err != nil || art.Node == nil || utf8.RuneCountInString(strings.TrimSpace(art.TextContent)) < minArticleRunes {
		return nil, ""
	}
	return art.Node, strings.TrimSpace(art.Title)
}

// escapeHeading keeps a title on one line and from starting markdown of its own.
func escapeHeading(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("#", `\#`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`).Replace(s)
}

// cutAtLine cuts s to at most n bytes, at the last line break before n when there is one.
func cutAtLine(s string, n int) string {
	s = strings.ToValidUTF8(s[:n], "")
	if i := strings.LastIndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}
