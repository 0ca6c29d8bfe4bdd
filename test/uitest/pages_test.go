package uitest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/bootstrap"
	"taskrunner/test/apptest"
)

// page is a browser-like client of the pages: it does not follow redirects, so the tests
// see the gate's answers, and it checks nothing against the OpenAPI document (pages are
// HTML).
type page struct {
	base string
	http *http.Client
}

func startStack(t *testing.T, tokens ...string) (*apptest.Client, page) {
	t.Helper()
	c := apptest.Config(t, bootstrap.ModeMemory)
	c.LogLevel = "warn"
	c.APITokens = tokens
	api := apptest.StartAPI(t, c, bootstrap.RoleAll, io.Discard)
	return api, page{base: api.URL, http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// answered is what the tests read of a response, whose body do has read and closed.
type answered struct {
	StatusCode int
	Header     http.Header
	Cookies    []*http.Cookie
}

func (p page) do(t *testing.T, method, path, body string, header ...string) (answered, string) {
	t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := p.http.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return answered{StatusCode: res.StatusCode, Header: res.Header, Cookies: res.Cookies()}, string(b)
}

func submitEcho(t *testing.T, api *apptest.Client, params any) string {
	t.Helper()
	status, body, _ := api.Call(t, http.MethodPost, "/tasks", map[string]any{"type": "echo", "params": params})
	require.Equal(t, http.StatusAccepted, status, string(body))
	var task struct{ ID string }
	require.NoError(t, json.Unmarshal(body, &task))
	return task.ID
}

func TestTaskListAndTaskPageEscapeTaskData(t *testing.T) {
	api, p := startStack(t)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	id := submitEcho(t, api, map[string]any{"msg": evil})

	res, body := p.do(t, http.MethodGet, "/ui", "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, id, "the first page lists full task ids in the HTML")
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "script-src 'self'")
	require.NotContains(t, res.Header.Get("Content-Security-Policy"), "unsafe-inline")

	res, body = p.do(t, http.MethodGet, "/ui/tasks/"+id, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, body, "<script>alert")
	require.NotContains(t, body, "<img src=x")
	require.Contains(t, body, "&lt;script&gt;")

	res, _ = p.do(t, http.MethodGet, "/ui/tasks/00000000-0000-7000-8000-000000000000", "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res, _ = p.do(t, http.MethodGet, "/ui?status=nonsense", "")
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
}

func TestFiltersAndPagesOfTheTaskList(t *testing.T) {
	api, p := startStack(t)
	var ids []string
	for i := 0; i < 52; i++ {
		ids = append(ids, submitEcho(t, api, map[string]any{"i": i}))
	}
	_, body := p.do(t, http.MethodGet, "/ui?type=echo", "")
	require.Contains(t, body, ids[51], "newest first")
	require.NotContains(t, body, ids[0], "a page holds 50")
	next := ids[2] // the 50th newest is the cursor of the next page
	require.Contains(t, body, "after="+next)
	_, body = p.do(t, http.MethodGet, "/ui?type=echo&after="+next, "")
	require.Contains(t, body, ids[0])
	require.Contains(t, body, ids[1])
	require.NotContains(t, body, ids[2])
	_, body = p.do(t, http.MethodGet, "/ui?type=sleep", "")
	require.Contains(t, body, "No tasks match.")
}

func TestAuthGate(t *testing.T) {
	_, p := startStack(t, "s3cret")

	res, _ := p.do(t, http.MethodGet, "/ui/schedules", "")
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/ui/login?next="+url.QueryEscape("/ui/schedules"), res.Header.Get("Location"))
	res, _ = p.do(t, http.MethodGet, "/ui/schedules/preview?cron=*+*+*+*+*", "")
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)

	// What is public holds no data: the login form, the assets, the docs.
	for _, path := range []string{"/ui/login", "/ui/assets/app.js", "/docs", "/docs/assets/docs-init.js"} {
		res, _ = p.do(t, http.MethodGet, path, "")
		require.Equal(t, http.StatusOK, res.StatusCode, path)
	}

	form := "application/x-www-form-urlencoded"
	res, body := p.do(t, http.MethodPost, "/ui/login", "token=wrong&next=%2Fui", "Content-Type", form)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Contains(t, body, "not valid")
	require.Empty(t, res.Cookies)

	res, _ = p.do(t, http.MethodPost, "/ui/login", "token=s3cret", "Content-Type", form, "Origin", "http://evil.example")
	require.Equal(t, http.StatusForbidden, res.StatusCode)

	res, _ = p.do(t, http.MethodPost, "/ui/login", "token=s3cret&next=%2F%2Fevil.example", "Content-Type", form)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "/ui", res.Header.Get("Location"), "next stays on the dashboard")
	cookies := res.Cookies
	require.Len(t, cookies, 1)
	ck := cookies[0]
	require.True(t, ck.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, ck.SameSite)
	require.Equal(t, "/ui", ck.Path)
	require.Zero(t, ck.MaxAge, "a session cookie: it ends with the browser session")
	require.NotContains(t, ck.Value, "s3cret")

	res, _ = p.do(t, http.MethodGet, "/ui", "", "Cookie", ck.Name+"="+ck.Value)
	require.Equal(t, http.StatusOK, res.StatusCode)
	res, _ = p.do(t, http.MethodGet, "/ui", "", "Cookie", ck.Name+"="+ck.Value+"0")
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "a forged cookie opens nothing")

	// The cookie is no API token.
	res, _ = p.do(t, http.MethodGet, "/tasks", "", "Cookie", ck.Name+"="+ck.Value)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

func TestCronPreviewAnswersAsTheAPIWould(t *testing.T) {
	_, p := startStack(t)
	res, body := p.do(t, http.MethodGet, "/ui/schedules/preview?cron="+url.QueryEscape("*/5 * * * *")+"&timezone=Europe/Paris", "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var ok struct {
		NextRuns []string `json:"next_runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &ok))
	require.Len(t, ok.NextRuns, 5)

	res, body = p.do(t, http.MethodGet, "/ui/schedules/preview?cron=nope", "")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, body, `"field":"cron"`)
	res, body = p.do(t, http.MethodGet, "/ui/schedules/preview?cron=*+*+*+*+*&timezone=Mars/Olympus", "")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, body, `"field":"timezone"`)
}
