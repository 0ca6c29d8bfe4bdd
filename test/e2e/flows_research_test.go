package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/domain"
	"taskrunner/test/providertest"
)

// researchResult is the result object of a research task.
type researchResult struct {
	ArtifactIDs []string `json:"artifact_ids"`
	Fetched     int      `json:"fetched"`
	Failed      int      `json:"failed"`
	Cached      int      `json:"cached"`
}

// researchReport is the research_report artifact, as the tests read it.
type researchReport struct {
	Schema   string   `json:"schema"`
	Query    string   `json:"query"`
	Queries  []string `json:"queries"`
	Fetched  int      `json:"fetched"`
	Failed   int      `json:"failed"`
	Cached   int      `json:"cached"`
	Searches []struct {
		Query       string `json:"query"`
		ResultCount int    `json:"result_count"`
	} `json:"searches"`
	Results []struct {
		URL     string   `json:"url"`
		Title   string   `json:"title"`
		Sources []string `json:"sources"`
		Rank    int      `json:"rank"`
		Fetch   *struct {
			TaskID      *string  `json:"task_id"`
			Status      string   `json:"status"`
			ErrorCode   *string  `json:"error_code"`
			Title       string   `json:"title"`
			WordCount   *int     `json:"word_count"`
			Excerpt     string   `json:"excerpt"`
			ArtifactIDs []string `json:"artifact_ids"`
		} `json:"fetch"`
	} `json:"results"`
}

// researchSite serves local pages: /good/N are articles, /missing answers 404, /boom 500,
// /image a PNG, and /hang waits until the client gives up.
func researchSite(t *testing.T) *httptest.Server { return gatedResearchSite(t, nil) }

// gatedResearchSite is researchSite whose paths in gates answer only once their channel
// is closed.
func gatedResearchSite(t *testing.T, gates map[string]chan struct{}) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if gate, ok := gates[r.URL.Path]; ok {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case strings.HasPrefix(r.URL.Path, "/good/"):
			n := strings.TrimPrefix(r.URL.Path, "/good/")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>Good page %s</title></head><body><article><h1>Good page %s</h1>
<p>Page %s explains how a research task reads the best pages of a search and writes one report about them.</p>
<p>Its children run on any worker, and the parent waits for them without holding a worker slot.</p></article></body></html>`, n, n, n)
		case r.URL.Path == "/missing":
			http.NotFound(w, r)
		case r.URL.Path == "/boom":
			http.Error(w, "boom", http.StatusInternalServerError)
		case r.URL.Path == "/image":
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n"))
		case r.URL.Path == "/hang":
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// braveBody and exaBody are provider answers listing urls, best first.
func braveBody(urls ...string) string {
	var rs []string
	for i, u := range urls {
		rs = append(rs, fmt.Sprintf(`{"type":"search_result","title":"Brave hit %d","url":%q,"description":"brave snippet %d"}`, i+1, u, i+1))
	}
	return `{"type":"search","web":{"type":"search","results":[` + strings.Join(rs, ",") + `]}}`
}

func exaBody(urls ...string) string {
	var rs []string
	for i, u := range urls {
		rs = append(rs, fmt.Sprintf(`{"id":%q,"title":"Exa hit %d","url":%q,"text":"exa text %d"}`, u, i+1, u, i+1))
	}
	return `{"requestId":"r1","results":[` + strings.Join(rs, ",") + `]}`
}

// withProviders points Brave and Exa at fakes answering with these bodies.
func withProviders(t *testing.T, brave, exa string) func(*bootstrap.Config) {
	b := providertest.New(t, providertest.Brave("e2e-brave-key"), providertest.Reply{Status: http.StatusOK, Body: brave})
	e := providertest.New(t, providertest.Exa("e2e-exa-key"), providertest.Reply{Status: http.StatusOK, Body: exa})
	return func(c *bootstrap.Config) {
		c.BraveAPIKey, c.BraveAPIURL = "e2e-brave-key", b.Endpoint()
		c.ExaAPIKey, c.ExaAPIURL = "e2e-exa-key", e.Endpoint()
		c.Limits.SearchSourceAllowlist = []string{"brave", "exa", "demo"}
	}
}

// children lists the research's children through GET /tasks?parent_id=.
func (s *stack) children(t *testing.T, parentID string) []task {
	t.Helper()
	code, b, _ := s.Call(t, http.MethodGet, "/tasks?parent_id="+parentID+"&limit=100", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	return decode[struct {
		Tasks []task `json:"tasks"`
	}](t, b).Tasks
}

// flowResearch: two providers, five pages of which two read and three fail in three
// ways; the report says of each exactly what its child task says.
//
// Its progress counts pages fetched: while good2's page is held back, the parked parent
// shows the other four children ended of five.
func flowResearch(t *testing.T, start starter) {
	gate := make(chan struct{})
	var release sync.Once
	open := func() { release.Do(func() { close(gate) }) }
	t.Cleanup(open)
	site := gatedResearchSite(t, map[string]chan struct{}{"/good/2": gate}).URL
	good1, good2 := site+"/good/1", site+"/good/2"
	s := start(t, withProviders(t,
		braveBody(good1, site+"/missing", good2, site+"/good/9"),
		exaBody(good2, site+"/boom", site+"/image", good1)))
	sub := s.submit(t, "/research", map[string]any{"query": "research pipelines", "sources": []string{"brave", "exa"}, "fetch_top": 5})
	require.Equal(t, "research", sub.Type)
	parked := s.waitUntil(t, sub.ID, "a parked parent counting four pages", func(tk task) bool {
		return tk.Status == "scheduled" && tk.Progress != nil && tk.Progress.Done == 4
	})
	require.Equal(t, progress{Done: 4, Total: 5, Message: "pages fetched"}, *parked.Progress)
	open()
	done := s.wait(t, sub.ID, "succeeded", "failed")
	require.Equal(t, "succeeded", done.Status, string(done.Result))
	require.Equal(t, &progress{Done: 5, Total: 5, Message: "pages fetched"}, done.Progress)
	r := decode[researchResult](t, done.Result)
	require.Equal(t, 2, r.Fetched)
	require.Equal(t, 3, r.Failed)
	require.Len(t, r.ArtifactIDs, 2)

	kids := s.children(t, sub.ID)
	require.Len(t, kids, 5)
	byID := map[string]task{}
	for _, k := range kids {
		require.Equal(t, "fetch_url", k.Type)
		byID[k.ID] = k
	}

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, h.Get("Content-Type"), "application/json")
	s.OpenAPI.CheckSchema(t, "ResearchReportDocument", b)
	rep := decode[researchReport](t, b)
	require.Equal(t, "research_report/v1", rep.Schema)
	require.Equal(t, "research pipelines", rep.Query)
	require.Equal(t, r.Fetched, rep.Fetched)
	require.Equal(t, r.Failed, rep.Failed)
	require.Len(t, rep.Results, 6) // every ranked result; the sixth was not fetched
	require.Nil(t, rep.Results[5].Fetch)
	seen := map[string]bool{}
	for _, res := range rep.Results[:5] {
		require.NotNil(t, res.Fetch, res.URL)
		require.NotNil(t, res.Fetch.TaskID)
		child, ok := byID[*res.Fetch.TaskID]
		require.True(t, ok, "the report names a child of this research")
		seen[child.ID] = true
		require.Equal(t, child.Status, res.Fetch.Status)
		require.Equal(t, res.URL, decode[map[string]any](t, child.Params)["url"])
		if child.Status == "succeeded" {
			cr := decode[fetchResult](t, child.Result)
			require.Equal(t, cr.ArtifactIDs, res.Fetch.ArtifactIDs)
			require.Equal(t, cr.Title, res.Fetch.Title)
			require.NotNil(t, res.Fetch.WordCount)
			require.Positive(t, *res.Fetch.WordCount)
			require.Contains(t, res.Fetch.Excerpt, "explains how a research task")
			require.Nil(t, res.Fetch.ErrorCode)
		} else {
			require.NotNil(t, res.Fetch.ErrorCode)
			require.Equal(t, child.Error.Code, *res.Fetch.ErrorCode)
		}
	}
	require.Len(t, seen, 5)
	// good1 and good2 were found by both sources: fusion puts them first.
	require.ElementsMatch(t, []string{good1, good2}, []string{rep.Results[0].URL, rep.Results[1].URL})
	require.Equal(t, []string{"brave", "exa"}, rep.Results[0].Sources)

	code, b, h = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[1], nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "text/markdown; charset=utf-8", h.Get("Content-Type"))
	md := string(b)
	require.True(t, strings.HasPrefix(md, "# Research: research pipelines\n"), md)
	require.Contains(t, md, "## 1. [Good page")
	require.Contains(t, md, "("+"<"+good1+">)")
	require.Contains(t, md, "## Failures")
	for _, code := range []string{"fetch_failed", "fetch_unsupported_content"} {
		require.Contains(t, md, "`"+code+"`")
	}

	// Bad input is refused naming the field.
	for field, body := range map[string]map[string]any{
		"fetch_top": {"query": "x", "sources": []string{"brave"}, "fetch_top": 21},
		"formats":   {"query": "x", "sources": []string{"brave"}, "formats": []string{"pdf"}},
		"queries":   {"query": "x", "queries": []string{"y"}},
		"query":     {"sources": []string{"brave"}},
	} {
		code, b, _ := s.Call(t, http.MethodPost, "/research", body)
		expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", field)
	}
	code, b, _ = s.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "research", "params": map[string]any{"queries": []string{}}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "params.queries")
}

// waitUntil polls the task until cond holds, for at most 30 s; what names the condition.
func (s *stack) waitUntil(t *testing.T, id, what string, cond func(task) bool) task {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+id, nil)
		require.Equal(t, http.StatusOK, code, string(b))
		if tk := decode[task](t, b); cond(tk) {
			return tk
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s: no %s after 30 s: %s", id, what, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// flowResearchAllFail: no page can be read; the research fails with the children's most
// common error and still leaves its report.
func flowResearchAllFail(t *testing.T, start starter) {
	site := researchSite(t).URL
	s := start(t, withProviders(t, braveBody(site+"/missing", site+"/nope", site+"/image"), exaBody()))
	sub := s.submit(t, "/tasks", map[string]any{"type": "research",
		"params": map[string]any{"queries": []string{"dead links", "more dead links"}, "sources": []string{"brave"}, "fetch_top": 3}})
	done := s.wait(t, sub.ID, "succeeded", "failed")
	require.Equal(t, "failed", done.Status)
	require.Equal(t, "fetch_failed", done.Error.Code)
	kids := s.children(t, sub.ID)
	require.Len(t, kids, 3)
	for _, k := range kids {
		require.Equal(t, "failed", k.Status)
	}
	code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+sub.ID+"/artifacts", nil)
	require.Equal(t, http.StatusOK, code)
	types := map[string]bool{}
	for _, a := range decode[struct {
		Artifacts []struct{ Type string } `json:"artifacts"`
	}](t, b).Artifacts {
		types[a.Type] = true
	}
	require.True(t, types["research_report"] && types["research_report_md"] && types["research_ranking"], "%v", types)
}

// flowResearchCancel: cancelling a research whose children are running cancels them.
func flowResearchCancel(t *testing.T, start starter) {
	site := researchSite(t).URL
	s := start(t, withProviders(t, braveBody(site+"/hang", site+"/hang?b=2"), exaBody()))
	sub := s.submit(t, "/research", map[string]any{"query": "slow pages", "sources": []string{"brave"}, "fetch_top": 2})
	// The parent parks (scheduled, no worker) once its children exist.
	deadline := time.Now().Add(30 * time.Second)
	for {
		kids := s.children(t, sub.ID)
		running := 0
		for _, k := range kids {
			if k.Status == "running" {
				running++
			}
		}
		if len(kids) == 2 && running == 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "children did not start: %+v", kids)
		time.Sleep(20 * time.Millisecond)
	}
	parked := s.wait(t, sub.ID, "scheduled")
	require.JSONEq(t, "null", string(parked.Result))
	code, b, _ := s.Call(t, http.MethodPost, "/tasks/"+sub.ID+"/cancel", nil)
	require.Equal(t, http.StatusOK, code, string(b))
	require.Equal(t, "cancelled", decode[task](t, b).Status)
	for _, k := range s.children(t, sub.ID) {
		c := s.wait(t, k.ID, "cancelled", "failed", "succeeded")
		require.Equal(t, "cancelled", c.Status)
		require.Equal(t, string(domain.CodeTaskCancelled), c.Error.Code)
	}
}

// TestMemoryResearchDemo: the offline demo search source and site, end to end.
func TestMemoryResearchDemo(t *testing.T) {
	t.Parallel()
	s := startMemory(t, nil)
	sub := s.submit(t, "/research", map[string]any{"query": "durable task queues", "sources": []string{"demo"}, "fetch_top": 3})
	done := s.wait(t, sub.ID, "succeeded", "failed")
	require.Equal(t, "succeeded", done.Status, string(done.Result))
	r := decode[researchResult](t, done.Result)
	require.Equal(t, 3, r.Fetched)
	require.Len(t, s.children(t, sub.ID), 3)
	code, b, _ := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[1], nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, string(b), "https://demo.taskrunner.invalid/")
	var rep map[string]any
	_, b, _ = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.NoError(t, json.Unmarshal(b, &rep))
	require.Equal(t, "durable task queues", rep["query"])
}
