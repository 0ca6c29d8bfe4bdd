package markdown_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/markdown"
	"taskrunner/domain"
)

func render(t *testing.T, path, pageURL string, readerMode bool) domain.Rendered {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out, err := markdown.New().Render(t.Context(), domain.RenderInput{HTML: string(b), URL: pageURL,
		ReaderMode: readerMode, Markdown: true, Links: true})
	require.NoError(t, err)
	return out
}

// The extractor's testdata pages come out as markdown with their structure: ATX headings,
// "-" bullets, "1." numbers, links made absolute, code fences and GFM tables.
func TestMarkdownFidelityOnTestdataPages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		page    string
		want    []string
		notWant []string
	}{
		{"docs_page", []string{
			"## Default behaviour", "## Permanent failures",
			"```\nqueue := skiff.NewQueue(\"emails\", skiff.Retry{",
			"| Setting     | Default | Meaning                                  |",
			"|-------------|---------|------------------------------------------|",
			"| MaxAttempts | 5       | Attempts before the job is dead-lettered |",
			"[Edit this page on GitHub](https://github.invalid/skiff/edit/main/docs/retries.md)",
		}, []string{"Installation", "Search docs"}},
		{"list_heavy", []string{
			"## Clothing", "## Sleeping", "## Safety",
			"\n- A merino base layer, top and bottom, plus a spare top for sleeping\n- A fleece",
			"\n1. A sleeping bag rated at least five degrees below the coldest forecast night\n2. An insulated mat",
		}, nil},
		{"news_article", []string{
			"# City Council Approves Riverside Flood Barrier",
			"> \"We cannot keep rebuilding the same streets every few winters,\"",
		}, nil},
	}
	for _, c := range cases {
		out := render(t, "../extract/testdata/"+c.page+".html", "https://pages.example/section/"+c.page, true)
		for _, w := range c.want {
			require.Contains(t, out.Markdown, w, c.page)
		}
		for _, w := range c.notWant {
			require.NotContains(t, out.Markdown, w, c.page)
		}
		require.False(t, out.Truncated, c.page)
	}
}

func TestMarkdownEmphasisLinksCodeAndMetadata(t *testing.T) {
	t.Parallel()
	out := render(t, "testdata/meta_article.html", "https://news.example/articles/2024/files.html", true)
	for _, w := range []string{
		"# Les files d'attente durables",
		"### Pourquoi un bail",
		"**durable**", "*jamais*",
		"[le guide des baux](https://news.example/articles/guide/baux.html)",
		"[la documentation externe](https://ailleurs.example/doc)",
		"```\nlease := queue.Dequeue(ctx, 30*time.Second)\ndefer lease.Ack()\n```",
		"1. Prendre la tâche\n2. Prolonger le bail\n3. Confirmer",
	} {
		require.Contains(t, out.Markdown, w)
	}
	require.Equal(t, domain.PageMeta{
		PublishedAt:  "2024-02-29T17:30:00Z", // JSON-LD wins over OpenGraph
		CanonicalURL: "https://news.example/articles/files-durables?ref=canon",
		Lang:         "fr",
	}, out.Meta)
}

func TestLinksAbsoluteDeduplicatedInternal(t *testing.T) {
	t.Parallel()
	out := render(t, "testdata/meta_article.html", "https://www.news.example/articles/2024/files.html", true)
	require.Equal(t, []domain.PageLink{
		{URL: "https://www.news.example/articles/guide/baux.html", Text: "le guide des baux", Internal: true},
		{URL: "https://ailleurs.example/doc", Text: "la documentation externe", Internal: false},
		{URL: "https://www.news.example/mentions", Text: "Mentions", Internal: true},
	}, out.Links, "mailto and fragment-only links are no web links; a repeat keeps its first text")
}

func TestLinksAreBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range markdown.MaxLinks + 10 {
		b.WriteString(`<a href="/p` + strings.Repeat("x", i%3) + `?n=` + strconv.Itoa(i) + `">l</a>`)
	}
	out, err := markdown.New().Render(t.Context(), domain.RenderInput{HTML: b.String(), URL: "https://a.example/", Links: true})
	require.NoError(t, err)
	require.Len(t, out.Links, markdown.MaxLinks)
	require.True(t, out.Truncated)
}

func TestPublishedAtFromMetaTagsAndTime(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`<meta name="date" content="2021-07-08">`:                                      "2021-07-08T00:00:00Z",
		`<meta property="article:published_time" content="2022-03-04T05:06:07-05:00">`: "2022-03-04T10:06:07Z",
		`<meta itemprop="datePublished" content="2020-01-02T03:04:05Z">`:               "2020-01-02T03:04:05Z",
		`<time itemprop="datePublished" datetime="2019-10-11T12:13:14Z">x</time>`:      "2019-10-11T12:13:14Z",
		`<meta name="date" content="not a date">`:                                      "",
	}
	for tag, want := range cases {
		out, err := markdown.New().Render(t.Context(), domain.RenderInput{HTML: "<html><head>" + tag + "</head><body><p>x</p></body></html>",
			URL: "https://a.example/"})
		require.NoError(t, err)
		require.Equal(t, want, out.Meta.PublishedAt, tag)
	}
}
