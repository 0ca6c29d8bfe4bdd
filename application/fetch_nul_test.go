package application_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/application"
	"taskrunner/domain"
)

// nulPage holds U+0000 where PostgreSQL would refuse it: escaped in its JSON-LD headline,
// author and description, and as raw NUL bytes in its text.
const nulPage = `<!doctype html><html lang="en"><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Null\u0000 Headline","author":{"@type":"Person","name":"Ann\u0000 Author"},
"description":"A desc\u0000ription"}</script></head><body><article><h1>Heading</h1>
<p>The first paragraph holds a NUL ` + "\x00" + ` byte, and enough prose around it to be read as an article by both extractors.</p>
<p>The second paragraph is ordinary prose about harbours, ferries and the weather in the bay, long enough to count.</p>
<p>The third paragraph closes the article with a few more words, so that the text is well past the shortest article.</p>
</article></body></html>`

// requireNoNUL fails when the stored result, metadata or text holds U+0000 in any form.
func requireNoNUL(t *testing.T, r *fetchRig, out fetchResultOut) {
	t.Helper()
	require.NotContains(t, out.Title, "\x00")
	for _, id := range out.ArtifactIDs[:1] {
		a, text := r.read(t, id)
		require.NotContains(t, string(a.Metadata), `\u0000`, "metadata")
		require.NotContains(t, string(text), "\x00", "text")
	}
}

// A page with U+0000 in its metadata and text is fetched fine, with the character dropped
// everywhere it would be stored as text (services mode refused it with internal).
func TestFetchDropsNUL(t *testing.T) {
	t.Parallel()
	r := newFetchRig(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.HasSuffix(req.URL.Path, ".txt") {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte("plain\x00 text\x00"))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(nulPage))
	}))
	for _, reader := range []string{"true", "false"} {
		out, _, err := r.run(t, `{"url":"`+r.site.URL+`/a","reader_mode":`+reader+`,"store_raw_html":true}`)
		require.NoError(t, err)
		requireNoNUL(t, r, out)
		if reader == "true" {
			require.Equal(t, "Null Headline", out.Title)
			a, _ := r.read(t, out.ArtifactIDs[0])
			var meta map[string]any
			require.NoError(t, json.Unmarshal(a.Metadata, &meta))
			require.Equal(t, "Ann Author", meta["byline"])
		}
		_, raw := r.read(t, out.ArtifactIDs[1])
		require.Equal(t, nulPage, string(raw), "the raw HTML is bytes, kept as they came")
	}

	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/a.txt"}`)
	require.NoError(t, err)
	requireNoNUL(t, r, out)
	_, text := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, "plain text", string(text))
}

// nulExtractor answers U+0000 in every field, as a careless extractor might.
type nulExtractor struct{}

func (nulExtractor) Extract(context.Context, domain.ExtractInput) (domain.Extracted, error) {
	return domain.Extracted{Title: "ti\x00tle", Byline: "by\x00line", Excerpt: "ex\x00cerpt",
		SiteName: "si\x00te", Lang: "e\x00n", Text: "te\x00xt"}, nil
}

// The fetch handler cleans whatever its extractor returns, not only what ours returns.
func TestFetchDropsNULOfAnyExtractor(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	r.deps.Extractor = nulExtractor{}
	r.rebuild(t)
	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/a"}`)
	require.NoError(t, err)
	requireNoNUL(t, r, out)
	require.Equal(t, "title", out.Title)
	a, text := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, "text", string(text))
	var meta map[string]any
	require.NoError(t, json.Unmarshal(a.Metadata, &meta))
	for k, want := range map[string]string{"byline": "byline", "excerpt": "excerpt", "site_name": "site", "lang": "en"} {
		require.Equal(t, want, meta[k], k)
	}
}

// Artifact metadata that PostgreSQL's jsonb would refuse is refused up front with 422
// naming the field, in every mode, before any byte is written: no blob is left behind
// without metadata.
func TestArtifactMetadataRefusesUnstorableEscapes(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	for _, meta := range []string{
		`{"a":"x\u0000y"}`, `{"a\u0000":1}`, `{"a":["\u0000"]}`,
		`{"a":"\ud800"}`, `{"a":"\ud800x"}`, `{"a":"\udc00"}`, `{"a":"\ud800\u0041"}`,
	} {
		data := []byte("bytes of " + meta)
		_, err := r.artifacts.Create(context.Background(), application.NewArtifact{Type: "log",
			ContentType: "text/plain", Data: data, Metadata: json.RawMessage(meta)})
		de := requireFetchCode(t, err, domain.CodeInvalidParams)
		require.Contains(t, de.Details["field"], "metadata", meta)
		sum := sha256.Sum256(data)
		exists, err := r.blobs.Exists(context.Background(), domain.BlobKey(hex.EncodeToString(sum[:])))
		require.NoError(t, err)
		require.False(t, exists, "%s: no blob written", meta)
	}
	for _, meta := range []string{`{"a":"\\u0000"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\u00e9\\\\u0000"}`} {
		a, err := r.artifacts.Create(context.Background(), application.NewArtifact{Type: "log",
			ContentType: "text/plain", Data: []byte("x"), Metadata: json.RawMessage(meta)})
		require.NoError(t, err, meta)
		require.True(t, bytes.Equal([]byte(meta), a.Metadata), meta)
	}
}
