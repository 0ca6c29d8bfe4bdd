package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

func TestRunsAnswersWhetherAKeyWasProcessed(t *testing.T) {
	t.Parallel()
	r := setup(t)
	const key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

	resp := r.do("GET", "/runs?scope=search&key="+key, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(resp.body))
	require.JSONEq(t, `{"scope":"search","key":"`+key+`","processed":false,"latest":null}`, string(resp.body))

	ids := &domain.IDGenerator{}
	began := r.clock.Now()
	run := domain.Run{ID: ids.New(began), Scope: domain.ScopeSearch, Key: domain.RunKey(domain.ScopeSearch, key),
		TaskID: ids.New(began), Status: "partial", ArtifactIDs: []string{ids.New(began)},
		StartedAt: began, FinishedAt: began.Add(1500 * time.Microsecond),
		Metrics: []domain.Metric{{Name: "demo.latency_ms", Value: 1.5}},
		Notes:   []domain.Note{{Text: "brave failed: provider_error: 503", CreatedAt: began}}}
	require.NoError(t, r.runs.Record(t.Context(), run))

	resp = r.do("GET", "/runs?scope=search&key="+key, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(resp.body))
	got := resp.json(t)
	require.Equal(t, true, got["processed"])
	latest := got["latest"].(map[string]any)
	require.Equal(t, run.ID, latest["id"])
	require.Equal(t, "search:"+key, latest["key"])
	require.Equal(t, run.TaskID, latest["task_id"])
	require.Equal(t, "partial", latest["status"])
	require.Equal(t, []any{run.ArtifactIDs[0]}, latest["artifact_ids"])
	require.Equal(t, "2025-01-02T03:04:05.123456Z", latest["started_at"])
	require.Equal(t, "2025-01-02T03:04:05.124956Z", latest["finished_at"])
	require.Equal(t, []any{map[string]any{"name": "demo.latency_ms", "value": 1.5}}, latest["metrics"])
	require.Len(t, latest["notes"], 1)

	resp = r.do("GET", "/runs?scope=fetch&key="+key, nil)
	require.Equal(t, false, resp.json(t)["processed"], "scopes do not share keys")
}

func TestRunsRefusesAQueryNoRunCouldMatch(t *testing.T) {
	t.Parallel()
	r := setup(t)
	for _, tc := range []struct{ query, field string }{
		{"/runs", "scope"},
		{"/runs?key=abc", "scope"},
		{"/runs?scope=tasks&key=abc", "scope"},
		{"/runs?scope=search", "key"},
		{"/runs?scope=search&key=a%20b", "key"},
	} {
		resp := r.do("GET", tc.query, nil)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", tc.query, resp.body)
		require.Equal(t, "invalid_request", resp.errorCode(t), tc.query)
		require.Equal(t, tc.field, resp.errorField(t), tc.query)
	}
}

func TestRunsNeedsATokenWhenAuthIsOn(t *testing.T) {
	t.Parallel()
	r := setup(t, func(c *rigConfig) { c.tokens = []string{"s3cret-token"} })
	resp := r.do("GET", "/runs?scope=fetch&key=abc", nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp = r.do("GET", "/runs?scope=fetch&key=abc", nil, "Authorization", "Bearer s3cret-token")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(resp.body))
}
