package application_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// Every format asked for is stored, in result order, with its type and content type; the
// page metadata gains word_count, lang, published_at and canonical_url.
func TestFetchFormatsStoreEachArtifact(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "docs_page", "text/html; charset=utf-8")
	r := newFetchRig(t, h)
	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/docs/retries","formats":["html","links","markdown","text","markdown"]}`)
	require.NoError(t, err)
	require.Len(t, out.ArtifactIDs, 4)

	wantTypes := []string{"fetch_text", "fetch_markdown", "fetch_links", "fetch_html"}
	wantCT := []string{"text/plain; charset=utf-8", "text/markdown; charset=utf-8", "application/json", "text/html; charset=utf-8"}
	bodies := map[string][]byte{}
	for i, id := range out.ArtifactIDs {
		a, b := r.read(t, id)
		require.Equal(t, wantTypes[i], a.Type)
		require.Equal(t, wantCT[i], a.ContentType)
		bodies[a.Type] = b
	}
	require.Contains(t, string(bodies["fetch_markdown"]), "| MaxAttempts | 5       | Attempts before the job is dead-lettered |")
	require.Contains(t, string(bodies["fetch_markdown"]), "## Default behaviour")

	var links struct{ Links []domain.PageLink }
	require.NoError(t, json.Unmarshal(bodies["fetch_links"], &links))
	require.Contains(t, links.Links, domain.PageLink{URL: r.site.URL + "/install", Text: "Installation", Internal: true})
	require.Contains(t, links.Links, domain.PageLink{URL: "https://github.invalid/skiff", Text: "GitHub", Internal: false})

	text, textBody := r.read(t, out.ArtifactIDs[0])
	var meta map[string]any
	require.NoError(t, json.Unmarshal(text.Metadata, &meta))
	require.Equal(t, "en", meta["lang"])
	require.EqualValues(t, len(strings.Fields(string(textBody))), meta["word_count"])
	require.Contains(t, meta, "published_at")
	require.Contains(t, meta, "canonical_url")
}

func TestFetchMetadataPublishedAtAndCanonical(t *testing.T) {
	t.Parallel()
	const html = `<!doctype html><html lang="nl"><head><title>Over wachtrijen</title>
<link rel="canonical" href="/artikel/wachtrijen">
<script type="application/ld+json">{"@type":"Article","datePublished":"2025-04-03T02:01:00Z"}</script></head>
<body><article><h1>Over wachtrijen</h1><p>` + "Een wachtrij houdt werk vast tot iemand het doet. " + `</p></article></body></html>`
	r := newFetchRig(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(html))
	}))
	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/x?utm=1","formats":["markdown"]}`)
	require.NoError(t, err)
	require.Len(t, out.ArtifactIDs, 1)
	a, md := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, "fetch_markdown", a.Type)
	require.Contains(t, string(md), "Een wachtrij houdt werk vast")
	var meta map[string]any
	require.NoError(t, json.Unmarshal(a.Metadata, &meta))
	require.Equal(t, "2025-04-03T02:01:00Z", meta["published_at"])
	require.Equal(t, r.site.URL+"/artikel/wachtrijen", meta["canonical_url"])
	require.Equal(t, "nl", meta["lang"])
	require.EqualValues(t, 2+9, meta["word_count"], "the heading and the sentence of the text")
}

// The cache answers a request only with every format it asks for: a text-only fetch does
// not answer a markdown request; the fetch of text and markdown then answers either.
func TestFetchCacheKeyCoversFormats(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	url := r.site.URL + "/news"
	first, _, err := r.run(t, `{"url":"`+url+`"}`)
	require.NoError(t, err)
	require.False(t, first.Cached)
	hits := r.hits.Load()

	again, _, err := r.run(t, `{"url":"`+url+`","formats":["text"]}`)
	require.NoError(t, err)
	require.True(t, again.Cached)
	require.Equal(t, first.ArtifactIDs, again.ArtifactIDs)

	md, _, err := r.run(t, `{"url":"`+url+`","formats":["text","markdown"]}`)
	require.NoError(t, err)
	require.False(t, md.Cached, "a text-only fetch does not answer a markdown request")
	require.Greater(t, r.hits.Load(), hits)
	hits = r.hits.Load()

	for _, formats := range []string{`["markdown"]`, `["text"]`, `["markdown","text"]`} {
		sub, _, err := r.run(t, `{"url":"`+url+`","formats":`+formats+`}`)
		require.NoError(t, err)
		require.True(t, sub.Cached, formats)
	}
	onlyMD, _, _ := r.run(t, `{"url":"`+url+`","formats":["markdown"]}`)
	require.Equal(t, md.ArtifactIDs[1:], onlyMD.ArtifactIDs, "the superset's markdown artifact")
	require.Equal(t, hits, r.hits.Load(), "answered from the cache")

	links, _, err := r.run(t, `{"url":"`+url+`","formats":["links"]}`)
	require.NoError(t, err)
	require.False(t, links.Cached)

	// The cache lost (a flushed Redis): the latest run's artifacts still answer, by type.
	r.deps.Cache = newEmptyCache(r)
	r.rebuild(t)
	fromRun, _, err := r.run(t, `{"url":"`+url+`","formats":["links"]}`)
	require.NoError(t, err)
	require.True(t, fromRun.Cached)
	require.Equal(t, links.ArtifactIDs, fromRun.ArtifactIDs)
}

func TestFetchFormatsValidation(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	for body, code := range map[string]domain.Code{
		`{"url":"https://example.com/","formats":[]}`:         domain.CodeInvalidParams,
		`{"url":"https://example.com/","formats":["pdf"]}`:    domain.CodeInvalidParams,
		`{"url":"https://example.com/","formats":"markdown"}`: domain.CodeInvalidRequest,
		`{"url":"https://example.com/","formats":[1]}`:        domain.CodeInvalidRequest,
	} {
		_, err := r.handler.Validate(json.RawMessage(body), r.limits)
		de := requireFetchCode(t, err, code)
		require.Equal(t, "params.formats", de.Details["field"], body)
	}
	norm, err := r.handler.Validate(json.RawMessage(`{"url":"https://example.com/","store_raw_html":true,"formats":["markdown"]}`), r.limits)
	require.NoError(t, err)
	require.JSONEq(t, `{"url":"https://example.com/","reader_mode":true,"store_raw_html":true,"formats":["markdown","html"]}`, string(norm))
	norm, err = r.handler.Validate(json.RawMessage(`{"url":"https://example.com/","formats":["html"]}`), r.limits)
	require.NoError(t, err)
	require.JSONEq(t, `{"url":"https://example.com/","reader_mode":true,"store_raw_html":true,"formats":["html"]}`, string(norm))
}
