package httpapi_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// listIDs lists the tasks the query selects (one page) and returns their ids.
func (r *rig) listIDs(query string) []string {
	r.t.Helper()
	resp := r.do("GET", "/tasks?"+query, nil)
	require.Equal(r.t, http.StatusOK, resp.StatusCode, "%s: %s", query, resp.body)
	var ids []string
	for _, task := range resp.json(r.t)["tasks"].([]any) {
		ids = append(ids, task.(map[string]any)["id"].(string))
	}
	return ids
}

func TestListTasksTakesSeveralStatusesAndTypes(t *testing.T) {
	t.Parallel()
	r := setup(t)
	queued := r.submitEcho("queued")
	cancelled := r.submitEcho("cancelled")
	require.Equal(t, http.StatusOK, r.do("POST", "/tasks/"+cancelled+"/cancel", nil).StatusCode)
	sleep := r.do("POST", "/tasks", map[string]any{"type": "sleep", "params": map[string]any{"seconds": 1}}).json(t)["id"].(string)

	require.Equal(t, []string{cancelled, queued}, r.listIDs("status=cancelled,queued&type=echo"))
	require.Equal(t, []string{sleep, cancelled, queued}, r.listIDs("type=echo,sleep"))
	require.Equal(t, []string{sleep, queued}, r.listIDs("status=queued,queued"), "a repeated value is one value")
	require.Equal(t, []string{cancelled, queued}, r.listIDs("status=cancelled&type=echo&status=queued"),
		"repeated parameters add values as commas do")
	require.Empty(t, r.listIDs("status=failed,succeeded"))
}

func TestListTasksFiltersOnCreationTime(t *testing.T) {
	t.Parallel()
	r := setup(t)
	first := r.submitEcho("first")
	firstAt := r.do("GET", "/tasks/"+first, nil).json(t)["created_at"].(string)
	r.clock.Advance(time.Minute)
	second := r.submitEcho("second")
	secondAt := r.do("GET", "/tasks/"+second, nil).json(t)["created_at"].(string)

	q := func(k, v string) string { return k + "=" + url.QueryEscape(v) }
	require.Equal(t, []string{second}, r.listIDs(q("created_after", firstAt)), "the bound is exclusive")
	require.Equal(t, []string{first}, r.listIDs(q("created_before", secondAt)))
	require.Empty(t, r.listIDs(q("created_after", firstAt)+"&"+q("created_before", secondAt)))
	require.Equal(t, []string{second, first}, r.listIDs(q("created_after", "2025-01-02T04:04:05+01:00")),
		"an offset names the same instant as UTC does")
}

func TestListTasksRejectsBadFilterValues(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for query, field := range map[string]string{
		"status=failed,bogus": "status", "status=failed,,queued": "status", "type=echo,bogus": "type",
		"created_after=yesterday": "created_after", "created_before=2025-01-02": "created_before",
		"created_after=2025-01-02T00:00:00Z&created_before=2025-01-01T00:00:00Z": "created_before",
	} {
		resp := r.do("GET", "/tasks?"+query, nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, query)
		require.Equal(t, "invalid_request", resp.errorCode(t), query)
		require.Equal(t, field, resp.errorField(t), query)
		require.Contains(t, resp.errorMessage(t), field, query)
	}
}

func TestUnknownQueryParametersAreRefusedByName(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for path, name := range map[string]string{
		"/tasks?stauts=failed":            "stauts",
		"/tasks?limit=5&Status=failed":    "Status",
		"/runs?scope=search&key=k&sort=x": "sort",
	} {
		resp := r.do("GET", path, nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
		require.Equal(t, "invalid_request", resp.errorCode(t), path)
		require.Equal(t, name, resp.errorField(t), path)
		require.Contains(t, resp.errorMessage(t), `"`+name+`"`, path)
	}
	// Auth comes first: an unauthenticated client learns nothing about the parameters.
	authed := setup(t, func(c *rigConfig) { c.tokens = []string{"secret"} })
	resp := authed.do("GET", "/tasks?bogus=1", nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestAnswersAreNotHTMLEscaped(t *testing.T) {
	t.Parallel()
	r := setup(t)
	task := r.do("POST", "/tasks", map[string]any{"type": "echo", "params": map[string]any{"msg": "a <b> & c >= d"}})
	require.Equal(t, http.StatusAccepted, task.StatusCode)
	require.Contains(t, string(task.body), `"msg":"a <b> & c >= d"`)

	refused := r.do("GET", "/tasks?a%3Cb%3E%26c=1", nil)
	require.Equal(t, http.StatusBadRequest, refused.StatusCode)
	require.Contains(t, string(refused.body), `unknown query parameter \"a<b>&c\"`)
	require.NotContains(t, string(refused.body), `\u003c`)
}
