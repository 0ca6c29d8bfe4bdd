package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
	"taskrunner/test/logcapture"
)

// Fetch formats, robots.txt and host pacing, in both modes.

var politenessFlows = map[string]func(t *testing.T, start starter){
	"fetch_markdown_links": flowFetchMarkdownLinks,
	"robots_disallow":      flowRobotsDisallow,
	"host_busy_deferral":   flowHostBusyDeferral,
}

func TestPolitenessMemory(t *testing.T) {
	t.Parallel()
	for name, flow := range politenessFlows {
		t.Run(name, func(t *testing.T) { t.Parallel(); flow(t, startMemory) })
	}
}

func TestPolitenessServices(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("services e2e needs PostgreSQL and Redis; run without -short")
	}
	for name, flow := range politenessFlows {
		t.Run(name, func(t *testing.T) { t.Parallel(); flow(t, startServices) })
	}
}

// politeServer serves robots.txt and articleHTML elsewhere, recording when each page
// request arrived.
type politeServer struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []time.Time
}

func newPoliteServer(t *testing.T, robots string) *politeServer {
	s := &politeServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(robots))
			return
		}
		s.mu.Lock()
		s.arrivals = append(s.arrivals, time.Now())
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(articleHTML))
	}))
	t.Cleanup(s.Close)
	return s
}

func polite(interval time.Duration) func(*bootstrap.Config) {
	return func(c *bootstrap.Config) {
		c.Politeness = bootstrap.PolitenessConfig{HostInterval: interval, RespectRobots: true, RobotsTTL: time.Hour}
	}
}

func flowFetchMarkdownLinks(t *testing.T, start starter) {
	s := start(t, polite(time.Millisecond))
	site := newPoliteServer(t, "User-agent: *\nAllow: /\n")
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": site.URL + "/post", "formats": []string{"markdown", "links"}}).ID, "succeeded")
	r := decode[fetchResult](t, tk.Result)
	require.Len(t, r.ArtifactIDs, 2)

	code, b, h := s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[0], nil)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "text/markdown; charset=utf-8", h.Get("Content-Type"))
	require.Contains(t, string(b), "# The Quiet Queue")
	require.Contains(t, string(b), "Workers that block on the queue")

	code, b, h = s.Call(t, http.MethodGet, "/artifacts/"+r.ArtifactIDs[1], nil)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, h.Get("Content-Type"), "application/json")
	links := decode[struct {
		Links []struct {
			URL      string `json:"url"`
			Text     string `json:"text"`
			Internal bool   `json:"internal"`
		} `json:"links"`
	}](t, b)
	require.Len(t, links.Links, 2)
	require.Equal(t, site.URL+"/about", links.Links[1].URL)
	require.True(t, links.Links[1].Internal)

	code, b, _ = s.Call(t, http.MethodPost, "/fetch", map[string]any{"url": site.URL, "formats": []string{"pdf"}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "formats")
	code, b, _ = s.Call(t, http.MethodPost, "/fetch", map[string]any{"url": site.URL, "formats": []string{}})
	expectError(t, code, b, http.StatusUnprocessableEntity, "task_rejected_invalid_params", "formats")
}

func flowRobotsDisallow(t *testing.T, start starter) {
	s := start(t, polite(time.Millisecond))
	site := newPoliteServer(t, "User-agent: taskrunner\nDisallow: /members/\n")
	tk := s.wait(t, s.submit(t, "/fetch", map[string]any{"url": site.URL + "/members/list"}).ID, "failed")
	require.Equal(t, "fetch_disallowed_by_robots", tk.Error.Code)
	s.wait(t, s.submit(t, "/fetch", map[string]any{"url": site.URL + "/open"}).ID, "succeeded")
	site.mu.Lock()
	defer site.mu.Unlock()
	require.Len(t, site.arrivals, 1, "the disallowed page was never requested")
}

// flowHostBusyDeferral: with a 5 s host interval the second fetch of a host is not held
// in its worker slot: it waits as scheduled with run_at, its attempt not counted, then
// runs at its turn.
func flowHostBusyDeferral(t *testing.T, start starter) {
	s := start(t, polite(5*time.Second))
	site := newPoliteServer(t, "User-agent: *\nAllow: /\n")
	first := s.submit(t, "/fetch", map[string]any{"url": site.URL + "/one"})
	s.wait(t, first.ID, "succeeded")
	second := s.submit(t, "/fetch", map[string]any{"url": site.URL + "/two"})

	deadline := time.Now().Add(waitLimitE2E)
	for {
		code, b, _ := s.Call(t, http.MethodGet, "/tasks/"+second.ID, nil)
		require.Equal(t, http.StatusOK, code)
		tk := decode[schedTask](t, b)
		if tk.Status == "scheduled" {
			require.NotNil(t, tk.RunAt, string(b))
			require.True(t, tk.RunAt.After(time.Now()), "run_at is the host's turn, ahead: %s", b)
			require.Equal(t, 0, tk.Attempts, "a deferral is not an attempt: %s", b)
			break
		}
		require.Contains(t, []string{"queued", "running"}, tk.Status, "until deferred: %s", b)
		require.True(t, time.Now().Before(deadline), "never deferred: %s", b)
		time.Sleep(20 * time.Millisecond)
	}
	done := s.wait(t, second.ID, "succeeded")
	require.Equal(t, 1, done.Attempts)
	requirePaced(t, s.logs, site, 2, 5*time.Second)
}

const waitLimitE2E = 30 * time.Second

// requirePaced checks the n fetches of site: their starts (the turns the pacer gave, from
// the fetch_host_turn events) are at least interval apart, and no request reached the site
// before its start. A request may leave a little after its start when the machine is
// busy; the starts are what pacing promises.
func requirePaced(t *testing.T, logs *logcapture.Buffer, site *politeServer, n int, interval time.Duration) {
	t.Helper()
	var starts []time.Time
	for _, e := range logs.Events("fetch_host_turn") {
		at, err := time.Parse(time.RFC3339Nano, e["start_at"].(string))
		require.NoError(t, err)
		starts = append(starts, at)
	}
	require.Len(t, starts, n)
	requireGaps(t, starts, interval, "starts")
	site.mu.Lock()
	arrivals := slices.Clone(site.arrivals)
	site.mu.Unlock()
	require.Len(t, arrivals, n)
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	for i := range arrivals {
		require.False(t, arrivals[i].Before(starts[i]), "request %d reached the site at %s, before its start %s", i, arrivals[i], starts[i])
	}
}

// Two worker apps over the same PostgreSQL and Redis (each with its own pools, as separate
// processes have): fetches of one host start at least the interval apart, whichever
// worker runs them.
func TestHostPacingAcrossTwoWorkers(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("needs PostgreSQL and Redis; run without -short")
	}
	const interval = 700 * time.Millisecond
	c := servicesConfig(t)
	polite(interval)(&c)
	c.WorkerConcurrency = 4
	logs := &logcapture.Buffer{}
	api := &stack{Client: apptest.StartAPI(t, c, bootstrap.RoleAPI, logs), logs: logs}
	apptest.Start(t, c, bootstrap.RoleWorker, logs)
	apptest.Start(t, c, bootstrap.RoleWorker, logs)
	site := newPoliteServer(t, "User-agent: *\nAllow: /\n")

	const n = 6
	ids := make([]string, n)
	for i := range n {
		ids[i] = api.submit(t, "/fetch", map[string]any{"url": fmt.Sprintf("%s/page/%d", site.URL, i)}).ID
	}
	for _, id := range ids {
		api.wait(t, id, "succeeded")
	}

	requirePaced(t, logs, site, n, interval)
}

func requireGaps(t *testing.T, times []time.Time, least time.Duration, what string) {
	t.Helper()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(times); i++ {
		require.GreaterOrEqual(t, times[i].Sub(times[i-1]), least, "%s %d and %d: %v", what, i-1, i, times)
	}
}
