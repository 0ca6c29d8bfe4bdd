package webui

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestMarkdownIsRenderedWithoutRawHTMLOrScriptLinks(t *testing.T) {
	t.Parallel()
	md := "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) [ok](https://example.com/a)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	b := renderBody(domain.Artifact{Type: "fetch_markdown", ContentType: "text/markdown; charset=utf-8"}, []byte(md))
	out := string(b.Markdown)
	require.Contains(t, out, "<h1>Title</h1>")
	require.Contains(t, out, "<table>")
	require.Contains(t, out, `href="https://example.com/a"`)
	require.NotContains(t, out, "<script>")
	require.NotContains(t, out, "javascript:")
}

func TestArtifactKindsByContentType(t *testing.T) {
	t.Parallel()
	for ct, kind := range map[string]string{
		"application/json": "json", "text/html; charset=utf-8": "html", "text/plain": "text",
		"application/octet-stream": "binary",
	} {
		require.Equal(t, kind, renderBody(domain.Artifact{ContentType: ct}, []byte(`{"a":1}`)).Kind, ct)
	}
	require.Equal(t, "{\n  \"a\": 1\n}", renderBody(domain.Artifact{ContentType: "application/json"}, []byte(`{"a":1}`)).Source)
	require.Equal(t, "binary", renderBody(domain.Artifact{ContentType: "text/plain"}, []byte{0xff, 0xfe}).Kind)
}

func TestSearchResultsAndResearchReportsAreRead(t *testing.T) {
	t.Parallel()
	doc := `{"query":"q","results":[{"title":"B","url":"javascript:alert(1)","rank":2,"score":0.5,"sources":["demo"]},
		{"title":"A","url":"https://a.example/","rank":1,"score":0.9,"sources":["demo","brave"]}],
		"providers":{"demo":{"status":"ok","result_count":2,"latency_ms":3}}}`
	s := parseSearchDoc([]byte(doc))
	require.Equal(t, "A", s.Results[0].Title, "ranked")
	require.Equal(t, "https://a.example/", s.Results[0].Href)
	require.Empty(t, s.Results[1].Href, "no script URL becomes a link")
	require.Equal(t, "0.900", s.Results[0].Score)
	require.Equal(t, "ok", s.Providers[0].Status)

	r := parseResearch([]byte(`{"query":"q","pages":[{"url":"https://p.example/","title":"P","excerpt":"text",
		"task_id":"01a22d38-4d73-704e-b689-61e49d6c6836","error":{"code":"fetch_failed","message":"x"}}]}`))
	require.Equal(t, []string{"q"}, r.Queries)
	require.Len(t, r.Pages, 1)
	require.Equal(t, "text", r.Pages[0].Excerpt)
	require.Equal(t, "fetch_failed: x", r.Pages[0].Error)
	require.NotEmpty(t, r.Pages[0].TaskID)
}

func TestNextStaysOnTheDashboard(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/ui/tasks/x": "/ui/tasks/x", "/ui?status=failed": "/ui?status=failed", "//evil.example": "/ui",
		"https://evil.example/ui": "/ui", "/uix": "/ui", "/ui/login": "/ui", "/ui/\\evil": "/ui", "": "/ui",
	} {
		require.Equal(t, want, safeNext(in), in)
	}
	require.False(t, strings.Contains(safeNext("/ui\r\nX: y"), "\n"))
}

func TestPrettyJSONShowsTheTextThatWasSent(t *testing.T) {
	t.Parallel()
	require.Equal(t, "{\n  \"a\": \"<b> & \\\\u003c \\\"\"\n}", prettyJSON([]byte(`{"a":"\u003cb\u003e \u0026 \\u003c \""}`)))
}
