package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// nulArticle holds U+0000 in its JSON-LD headline and NUL bytes in its text: PostgreSQL
// stores neither in text or jsonb, so services mode used to fail the fetch with internal.
const nulArticle = `<!doctype html><html lang="en"><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"The\u0000 Quiet Queue"}</script>
</head><body><article><h1>The Quiet Queue</h1>
<p>Workers that block on the queue ` + "\x00" + `instead of polling it answer new work within milliseconds and cost nothing while idle.</p>
<p>Leases with heartbeats let a second worker finish what a crashed one started, without running a finished task twice.</p>
<p>The record stays in PostgreSQL, so a lost queue can be rebuilt from the tasks that are still waiting.</p>
</article></body></html>`

// flowFetchNUL: the page is fetched fine and nothing stored as text holds U+0000; the raw
// HTML keeps its bytes. (Metadata and params holding it are refused with 422 up front:
// flowNUL.)
func flowFetchNUL(t *testing.T, start starter) {
	s := start(t, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(nulArticle))
	}))
	t.Cleanup(srv.Close)
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": srv.URL + "/nul", "store_raw_html": true}).ID, "succeeded")
	r := decode[fetchResult](t, tk.Result)
	require.Equal(t, "The Quiet Queue", r.Title)
	require.Len(t, r.ArtifactIDs, 2)

	code, b, _ := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0]+"/meta", nil)
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, string(b), `\u0000`)
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, string(b), "\x00")
	require.Contains(t, string(b), "block on the queue instead of polling")
	code, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[1], nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, nulArticle, string(b))

}
