package application_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
)

func TestFetchValidate(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	norm, err := r.handler.Validate(json.RawMessage(`{"url":"https://example.com/a"}`), r.limits)
	require.NoError(t, err)
	require.JSONEq(t, `{"url":"https://example.com/a","reader_mode":true,"store_raw_html":false,"formats":["text"]}`, string(norm))

	limits := r.limits
	limits.FetchDomainAllowlist = []string{"*.example.org"}
	_, err = r.handler.Validate(json.RawMessage(`{"url":"https://example.com/a"}`), limits)
	de := requireFetchCode(t, err, domain.CodeInvalidParams)
	require.Equal(t, "params.url", de.Details["field"])
	_, err = r.handler.Validate(json.RawMessage(`{"url":"ftp://example.com/a"}`), r.limits)
	requireFetchCode(t, err, domain.CodeInvalidParams)
	_, err = r.handler.Validate(json.RawMessage(`{"reader_mode":true}`), r.limits)
	requireFetchCode(t, err, domain.CodeInvalidParams)

	_, err = application.NewFetchHandler(application.FetchDeps{})
	require.Error(t, err, "missing dependencies are refused")
}

func TestFetchStoresText(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html; charset=utf-8")
	r := newFetchRig(t, h)
	out, tk, err := r.run(t, `{"url":"`+r.site.URL+`/news/flood?utm_source=x"}`)
	require.NoError(t, err)
	require.False(t, out.Cached)
	require.Len(t, out.ArtifactIDs, 1)
	require.Equal(t, "City Council Approves Riverside Flood Barrier", out.Title)
	require.Equal(t, r.site.URL+"/news/flood?utm_source=x", out.FinalURL)

	a, body := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, domain.ArtifactFetchText, a.Type)
	require.Equal(t, tk.ID, a.TaskID)
	require.Equal(t, "text/plain; charset=utf-8", a.ContentType)
	require.Contains(t, string(body), "the city council voted seven to two on Wednesday night")
	require.NotContains(t, string(body), "Accept all cookies")
	var meta map[string]any
	require.NoError(t, json.Unmarshal(a.Metadata, &meta))
	for _, k := range []string{"url", "final_url", "status", "title", "byline", "excerpt", "site_name", "lang", "fetched_at", "reader_mode"} {
		require.Contains(t, meta, k)
	}
	require.Equal(t, "Maria Okonkwo", meta["byline"])
	require.Equal(t, "The Harbor Times", meta["site_name"])
	require.Equal(t, "en", meta["lang"])
	require.EqualValues(t, 200, meta["status"])
	require.Equal(t, true, meta["reader_mode"])
	require.Equal(t, "2026-11-28T12:00:00Z", meta["fetched_at"])
	require.Len(t, r.taskArtifacts(t, tk.ID), 1, "no fetch_html without store_raw_html")

	canon, err := domain.CanonicalURL(r.site.URL + "/news/flood?utm_source=x")
	require.NoError(t, err)
	run, err := r.runs.LatestRunForKey(context.Background(), domain.RunKey(domain.ScopeFetch, domain.FetchKey(canon, true)))
	require.NoError(t, err)
	require.Equal(t, domain.ScopeFetch, run.Scope)
	require.Equal(t, domain.RunSucceeded, run.Status)
	require.Equal(t, out.ArtifactIDs, run.ArtifactIDs)
	require.Equal(t, tk.ID, run.TaskID)
}

func TestFetchStoreRawHTML(t *testing.T) {
	t.Parallel()
	h, raw := page(t, "shift_jis", "text/html") // charset only in <meta>
	r := newFetchRig(t, h)
	out, tk, err := r.run(t, `{"url":"`+r.site.URL+`/machiya","store_raw_html":true}`)
	require.NoError(t, err)
	require.Len(t, out.ArtifactIDs, 2)
	text, tb := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, domain.ArtifactFetchText, text.Type)
	require.Contains(t, string(tb), "京都市内には、明治から昭和初期に建てられた町家が今も数多く残っている。")
	html, hb := r.read(t, out.ArtifactIDs[1])
	require.Equal(t, domain.ArtifactFetchHTML, html.Type)
	require.Equal(t, "text/html; charset=shift_jis", html.ContentType)
	require.Equal(t, raw, hb, "the original bytes")
	require.Len(t, r.taskArtifacts(t, tk.ID), 2)
}

func TestFetchCacheHit(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "blog_comments", "text/html")
	r := newFetchRig(t, h)
	first, _, err := r.run(t, `{"url":"`+r.site.URL+`/post?b=2&a=1"}`)
	require.NoError(t, err)
	require.EqualValues(t, 1, r.hits.Load())

	// The same canonical URL (parameter order, fragment, tracking) inside the TTL.
	r.clock.Advance(fetchTTL / 2)
	again, tk, err := r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2&utm_campaign=z#comments","reader_mode":true}`)
	require.NoError(t, err)
	require.True(t, again.Cached)
	require.Equal(t, first.ArtifactIDs, again.ArtifactIDs)
	require.Equal(t, first.Title, again.Title)
	require.Equal(t, first.FinalURL, again.FinalURL)
	require.EqualValues(t, 1, r.hits.Load(), "no second fetch")
	require.Empty(t, r.taskArtifacts(t, tk.ID), "a cache hit stores nothing new")

	// Raw mode is another key.
	raw, _, err := r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2","reader_mode":false}`)
	require.NoError(t, err)
	require.False(t, raw.Cached)
	require.EqualValues(t, 2, r.hits.Load())

	// Raw HTML asked for, but the earlier fetch did not keep it: fetch again.
	withHTML, _, err := r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2","store_raw_html":true}`)
	require.NoError(t, err)
	require.False(t, withHTML.Cached)
	require.Len(t, withHTML.ArtifactIDs, 2)
	require.EqualValues(t, 3, r.hits.Load())
	// ...and now it is cached with the HTML, and without it for requests that do not ask.
	hit, _, err := r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2","store_raw_html":true}`)
	require.NoError(t, err)
	require.True(t, hit.Cached)
	require.Equal(t, withHTML.ArtifactIDs, hit.ArtifactIDs)
	hit, _, err = r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2"}`)
	require.NoError(t, err)
	require.True(t, hit.Cached)
	require.Equal(t, withHTML.ArtifactIDs[:1], hit.ArtifactIDs)
	require.EqualValues(t, 3, r.hits.Load())

	// Past the TTL the page is fetched again.
	r.clock.Advance(fetchTTL + 1)
	late, _, err := r.run(t, `{"url":"`+r.site.URL+`/post?a=1&b=2"}`)
	require.NoError(t, err)
	require.False(t, late.Cached)
	require.EqualValues(t, 4, r.hits.Load())
}

// When the cache loses its entry (Redis flushed), the latest run still finds the artifacts.
func TestFetchReuseThroughRuns(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "docs_page", "text/html")
	r := newFetchRig(t, h)
	first, _, err := r.run(t, `{"url":"`+r.site.URL+`/retries","store_raw_html":true}`)
	require.NoError(t, err)

	r.deps.Cache = newEmptyCache(r)
	r.rebuild(t)
	again, _, err := r.run(t, `{"url":"`+r.site.URL+`/retries","store_raw_html":true}`)
	require.NoError(t, err)
	require.True(t, again.Cached)
	require.Equal(t, first.ArtifactIDs, again.ArtifactIDs)
	require.Equal(t, "Configuring retries - Skiff Docs", again.Title)
	require.Equal(t, first.FinalURL, again.FinalURL)
	require.EqualValues(t, 1, r.hits.Load())
}

func TestFetchReuseOff(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "docs_page", "text/html")
	r := newFetchRig(t, h)
	r.deps.CacheTTL = 0
	r.rebuild(t)
	for i := 0; i < 2; i++ {
		out, _, err := r.run(t, `{"url":"`+r.site.URL+`/retries"}`)
		require.NoError(t, err)
		require.False(t, out.Cached)
	}
	require.EqualValues(t, 2, r.hits.Load())
}

func TestFetchFailures(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/down", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "x", http.StatusBadGateway) })
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7"))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(strings.Repeat("a", 1<<20+1))) // one byte over the 1 MB limit
	})
	r := newFetchRig(t, mux)
	cases := map[string]domain.Code{
		"/missing": domain.CodeFetchFailed,
		"/down":    domain.CodeFetchFailed,
		"/pdf":     domain.CodeFetchUnsupported,
		"/huge":    domain.CodeArtifactSizeExceeded,
	}
	for path, code := range cases {
		_, tk, err := r.run(t, `{"url":"`+r.site.URL+path+`","store_raw_html":true}`)
		de := requireFetchCode(t, err, code)
		require.Equal(t, path == "/down", de.Retryable, path)
		require.Empty(t, r.taskArtifacts(t, tk.ID), "%s: nothing stored", path)
		rejected := 0
		for _, e := range r.logs.Events("artifact_rejected") {
			if e["task_id"] == tk.ID {
				rejected++
				require.Equal(t, "fetch", e["via"], path)
				require.EqualValues(t, 1<<20, e["limit_bytes"], path)
			}
		}
		require.Equal(t, btoi(path == "/huge"), rejected, "%s: artifact_rejected only for the page over the limit", path)
		canon, _ := domain.CanonicalURL(r.site.URL + path)
		run, err := r.runs.LatestRunForKey(context.Background(), domain.RunKey(domain.ScopeFetch, domain.FetchKey(canon, true)))
		require.NoError(t, err)
		require.Equal(t, domain.RunFailed, run.Status)
		require.NotEmpty(t, run.Notes)
	}
}

// With the guard on (the default), the loopback test site is refused at dial time.
func TestFetchBlockedByDefault(t *testing.T) {
	t.Parallel()
	h, _ := page(t, "news_article", "text/html")
	r := newFetchRig(t, h)
	r.deps.Fetcher = web.New(web.Config{AllowedPorts: []string{"*"}}) // the address guard, not the port rule
	r.rebuild(t)
	_, tk, err := r.run(t, `{"url":"`+r.site.URL+`/"}`)
	requireFetchCode(t, err, domain.CodeFetchBlocked)
	require.EqualValues(t, 0, r.hits.Load(), "no request reached the site")
	require.Empty(t, r.taskArtifacts(t, tk.ID))
}

func TestFetchRedirectAndPlainText(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, "/notes.txt", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/notes.txt", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("line one\nline <two>\n"))
	})
	r := newFetchRig(t, mux)
	out, _, err := r.run(t, `{"url":"`+r.site.URL+`/old"}`)
	require.NoError(t, err)
	require.Equal(t, r.site.URL+"/notes.txt", out.FinalURL)
	a, body := r.read(t, out.ArtifactIDs[0])
	require.Equal(t, "line one\nline <two>\n", string(body), "plain text is stored as it is")
	var meta map[string]any
	require.NoError(t, json.Unmarshal(a.Metadata, &meta))
	require.Equal(t, r.site.URL+"/old", meta["url"])
	require.Equal(t, r.site.URL+"/notes.txt", meta["final_url"])
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
